// The kernel bodies, compiled once per instruction set by kernels_*.c, each of which defines
// NAME(kernel) (a name with its suffix) and TABLE, and sets the target for every function.
// Plain loops the compiler vectorises: no intrinsics, the same results on every path up to
// the order of additions.

// Independent partial results per lane, so that reductions vectorise without reassociation.
#define LANES 16

// e^x to within 2 ulp of expf: Cephes' polynomial on r = x - n ln 2, scaled by 2^n.
static inline float NAME(exp)(float x) {
    x = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
    float n = x * 1.44269504088896341f;
    // Round to nearest with the 1.5 * 2^23 trick (|n| < 2^22).
    n = (n + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

static float NAME(maximum)(const float *x, ptrdiff_t n) {
    float lane[LANES];
    for (int j = 0; j < LANES; j++) lane[j] = -INFINITY;
    ptrdiff_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) lane[j] = x[i + j] > lane[j] ? x[i + j] : lane[j];
    float m = lane[0];
    for (int j = 1; j < LANES; j++) m = lane[j] > m ? lane[j] : m;
    for (; i < n; i++) m = x[i] > m ? x[i] : m;
    return m;
}

static ptrdiff_t NAME(argmax)(const float *x, ptrdiff_t n) {
    float m = NAME(maximum)(x, n);
    ptrdiff_t i = 0;
    while (i + 1 < n && x[i] != m) i++;
    return i;
}

static float NAME(log_sum_exp)(const float *x, ptrdiff_t n) {
    float m = NAME(maximum)(x, n);
    if (m == -INFINITY) return m;
    float lane[LANES] = {0};
    ptrdiff_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) lane[j] += NAME(exp)(x[i + j] - m);
    float sum = 0;
    for (int j = 0; j < LANES; j++) sum += lane[j];
    for (; i < n; i++) sum += NAME(exp)(x[i] - m);
    return m + logf(sum);
}

static void NAME(swish)(float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = x[i] / (1.0f + NAME(exp)(-x[i]));
}

static void NAME(swish_backward)(float *dy, const float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float s = 1.0f / (1.0f + NAME(exp)(-x[i]));
        dy[i] *= s * (1.0f + x[i] * (1.0f - s));
    }
}

static void NAME(scaled_exp)(float *x, ptrdiff_t n, float shift, float scale, float offset) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = NAME(exp)(x[i] - shift) * scale + offset;
}

static void NAME(softmax)(float *x, ptrdiff_t n) {
    float m = NAME(maximum)(x, n);
    float sum = 0;
    for (ptrdiff_t i = 0; i < n; i++) {
        x[i] = NAME(exp)(x[i] - m);
        sum += x[i];
    }
    float scale = 1.0f / sum;
    for (ptrdiff_t i = 0; i < n; i++) x[i] *= scale;
}

static float NAME(dot)(const float *a, const float *b, ptrdiff_t n) {
    float lane[LANES] = {0};
    ptrdiff_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) lane[j] += a[i + j] * b[i + j];
    float sum = 0;
    for (int j = 0; j < LANES; j++) sum += lane[j];
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

static void NAME(accumulate)(float alpha, const float *x, float *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

static void NAME(layer_norm)(float *x, ptrdiff_t rows, ptrdiff_t cols, const float *gamma, const float *beta, float eps) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *row = x + r * cols;
        float lane[LANES] = {0};
        ptrdiff_t c = 0;
        for (; c + LANES <= cols; c += LANES)
            for (int j = 0; j < LANES; j++) lane[j] += row[c + j];
        float sum = 0;
        for (int j = 0; j < LANES; j++) sum += lane[j];
        for (; c < cols; c++) sum += row[c];
        float mean = sum / (float)cols;
        float squares[LANES] = {0};
        for (c = 0; c + LANES <= cols; c += LANES)
            for (int j = 0; j < LANES; j++) squares[j] += (row[c + j] - mean) * (row[c + j] - mean);
        float variance = 0;
        for (int j = 0; j < LANES; j++) variance += squares[j];
        for (; c < cols; c++) variance += (row[c] - mean) * (row[c] - mean);
        float inverse = 1.0f / sqrtf(variance / (float)cols + eps);
        for (c = 0; c < cols; c++) row[c] = (row[c] - mean) * inverse * gamma[c] + beta[c];
    }
}

static void NAME(quantize_rows_u8)(const float *x, ptrdiff_t rows, ptrdiff_t cols, uint8_t *q, float *scales) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float lane[LANES] = {0};
        ptrdiff_t c = 0;
        for (; c + LANES <= cols; c += LANES)
            for (int j = 0; j < LANES; j++) {
                float a = fabsf(row[c + j]);
                lane[j] = a > lane[j] ? a : lane[j];
            }
        float largest = 0;
        for (int j = 0; j < LANES; j++) largest = lane[j] > largest ? lane[j] : largest;
        for (; c < cols; c++) largest = fabsf(row[c]) > largest ? fabsf(row[c]) : largest;
        float scale = largest > 0 ? largest / 127.0f : 1.0f;
        float inverse = 1.0f / scale;
        scales[r] = scale;
        uint8_t *out = q + r * cols;
        // Round to nearest even with the 1.5 * 2^23 trick (|row[c] * inverse| <= 127), which vectorises.
        for (c = 0; c < cols; c++) out[c] = (uint8_t)((int32_t)((row[c] * inverse + 12582912.0f) - 12582912.0f) + 128);
    }
}

static void NAME(dequantize_rows)(const int32_t *acc, ptrdiff_t rows, ptrdiff_t cols, const float *row_scales,
                               const float *column_scales, const int32_t *column_sums, const float *bias, float *y) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const int32_t *in = acc + r * cols;
        float *out = y + r * cols;
        float rs = row_scales[r];
        for (ptrdiff_t c = 0; c < cols; c++)
            out[c] = (float)(in[c] - 128 * column_sums[c]) * rs * column_scales[c] + bias[c];
    }
}

static void NAME(to_bfloat16)(const float *x, uint16_t *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        bits += 0x7FFF + ((bits >> 16) & 1);
        y[i] = (uint16_t)(bits >> 16);
    }
}

// The kernels of this instruction set.
const struct vk_table TABLE = {
    NAME(maximum),
    NAME(argmax),
    NAME(log_sum_exp),
    NAME(swish),
    NAME(swish_backward),
    NAME(scaled_exp),
    NAME(softmax),
    NAME(dot),
    NAME(accumulate),
    NAME(layer_norm),
    NAME(quantize_rows_u8),
    NAME(dequantize_rows),
    NAME(to_bfloat16),
};
