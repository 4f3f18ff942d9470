#include "vector_kernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define KERNEL __attribute__((target_clones("avx512f", "arch=haswell", "default")))
#else
#define KERNEL
#endif

// Independent partial results per lane, so that reductions vectorise without reassociation.
#define LANES 16

// e^x to within 2 ulp of expf: Cephes' polynomial on r = x - n ln 2, scaled by 2^n.
static inline float vk_exp(float x) {
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

KERNEL float vk_maximum(const float *x, ptrdiff_t n) {
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

KERNEL ptrdiff_t vk_argmax(const float *x, ptrdiff_t n) {
    float m = vk_maximum(x, n);
    ptrdiff_t i = 0;
    while (i + 1 < n && x[i] != m) i++;
    return i;
}

KERNEL float vk_log_sum_exp(const float *x, ptrdiff_t n) {
    float m = vk_maximum(x, n);
    if (m == -INFINITY) return m;
    float lane[LANES] = {0};
    ptrdiff_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) lane[j] += vk_exp(x[i + j] - m);
    float sum = 0;
    for (int j = 0; j < LANES; j++) sum += lane[j];
    for (; i < n; i++) sum += vk_exp(x[i] - m);
    return m + logf(sum);
}

KERNEL void vk_swish(float *x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] = x[i] / (1.0f + vk_exp(-x[i]));
}

KERNEL void vk_softmax(float *x, ptrdiff_t n) {
    float m = vk_maximum(x, n);
    float sum = 0;
    for (ptrdiff_t i = 0; i < n; i++) {
        x[i] = vk_exp(x[i] - m);
        sum += x[i];
    }
    float scale = 1.0f / sum;
    for (ptrdiff_t i = 0; i < n; i++) x[i] *= scale;
}

KERNEL float vk_dot(const float *a, const float *b, ptrdiff_t n) {
    float lane[LANES] = {0};
    ptrdiff_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) lane[j] += a[i + j] * b[i + j];
    float sum = 0;
    for (int j = 0; j < LANES; j++) sum += lane[j];
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

KERNEL void vk_accumulate(float alpha, const float *x, float *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

KERNEL void vk_layer_norm(float *x, ptrdiff_t rows, ptrdiff_t cols, const float *gamma, const float *beta, float eps) {
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

KERNEL void vk_quantize_rows_u8(const float *x, ptrdiff_t rows, ptrdiff_t cols, uint8_t *q, float *scales) {
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

KERNEL void vk_dequantize_rows(const int32_t *acc, ptrdiff_t rows, ptrdiff_t cols, const float *row_scales,
                               const float *column_scales, const int32_t *column_sums, const float *bias, float *y) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const int32_t *in = acc + r * cols;
        float *out = y + r * cols;
        float rs = row_scales[r];
        for (ptrdiff_t c = 0; c < cols; c++)
            out[c] = (float)(in[c] - 128 * column_sums[c]) * rs * column_scales[c] + bias[c];
    }
}

KERNEL void vk_to_bfloat16(const float *x, uint16_t *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        bits += 0x7FFF + ((bits >> 16) & 1);
        y[i] = (uint16_t)(bits >> 16);
    }
}
