// The public kernels: each calls the table of the widest instruction set this CPU runs, chosen
// once; ONEDNN_MAX_CPU_ISA caps it as it caps oneDNN's kernels (AVX2, SSE41 or AVX), so one
// variable forces the AVX2 path of everything on a CPU that has more.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_table.h"

static const struct vk_table *chosen = &vk_table_baseline;
static const char *chosen_name = "baseline";
static pthread_once_t choice = PTHREAD_ONCE_INIT;

static void choose(void) {
#if defined(__x86_64__)
    const char *cap = getenv("ONEDNN_MAX_CPU_ISA");
    int allow_avx512 = cap == NULL || strncmp(cap, "AVX512", 6) == 0 || strcmp(cap, "ALL") == 0 || strncmp(cap, "AMX", 3) == 0;
    int allow_avx2 = allow_avx512 || strncmp(cap, "AVX2", 4) == 0;
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    int avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                 __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    if (avx512 && allow_avx512) {
        chosen = &vk_table_avx512;
        chosen_name = "avx512";
    } else if (avx2 && allow_avx2) {
        chosen = &vk_table_avx2;
        chosen_name = "avx2";
    }
#endif
}

static const struct vk_table *table(void) {
    pthread_once(&choice, choose);
    return chosen;
}

const char *vk_instruction_set(void) {
    pthread_once(&choice, choose);
    return chosen_name;
}

float vk_maximum(const float *x, ptrdiff_t n) { return table()->maximum(x, n); }
ptrdiff_t vk_argmax(const float *x, ptrdiff_t n) { return table()->argmax(x, n); }
float vk_log_sum_exp(const float *x, ptrdiff_t n) { return table()->log_sum_exp(x, n); }
void vk_swish(float *x, ptrdiff_t n) { table()->swish(x, n); }
void vk_swish_backward(float *dy, const float *x, ptrdiff_t n) { table()->swish_backward(dy, x, n); }
void vk_scaled_exp(float *x, ptrdiff_t n, float shift, float scale, float offset) {
    table()->scaled_exp(x, n, shift, scale, offset);
}
void vk_softmax(float *x, ptrdiff_t n) { table()->softmax(x, n); }
float vk_dot(const float *a, const float *b, ptrdiff_t n) { return table()->dot(a, b, n); }
void vk_accumulate(float alpha, const float *x, float *y, ptrdiff_t n) { table()->accumulate(alpha, x, y, n); }
void vk_layer_norm(float *x, ptrdiff_t rows, ptrdiff_t cols, const float *gamma, const float *beta, float eps) {
    table()->layer_norm(x, rows, cols, gamma, beta, eps);
}
void vk_quantize_rows_u8(const float *x, ptrdiff_t rows, ptrdiff_t cols, uint8_t *q, float *scales) {
    table()->quantize_rows_u8(x, rows, cols, q, scales);
}
void vk_dequantize_rows(const int32_t *acc, ptrdiff_t rows, ptrdiff_t cols, const float *row_scales,
                        const float *column_scales, const int32_t *column_sums, const float *bias, float *y) {
    table()->dequantize_rows(acc, rows, cols, row_scales, column_scales, column_sums, bias, y);
}
void vk_to_bfloat16(const float *x, uint16_t *y, ptrdiff_t n) { table()->to_bfloat16(x, y, n); }
