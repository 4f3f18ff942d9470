// The kernels of one instruction set, one table per set (kernels_*.c), and the dispatch
// between them (vector_kernels.c).
#ifndef SEQ2SEQ_KERNEL_TABLE_H
#define SEQ2SEQ_KERNEL_TABLE_H

#include "vector_kernels.h"

struct vk_table {
    float (*maximum)(const float *x, ptrdiff_t n);
    ptrdiff_t (*argmax)(const float *x, ptrdiff_t n);
    float (*log_sum_exp)(const float *x, ptrdiff_t n);
    void (*swish)(float *x, ptrdiff_t n);
    void (*swish_backward)(float *dy, const float *x, ptrdiff_t n);
    void (*scaled_exp)(float *x, ptrdiff_t n, float shift, float scale, float offset);
    void (*softmax)(float *x, ptrdiff_t n);
    float (*dot)(const float *a, const float *b, ptrdiff_t n);
    void (*accumulate)(float alpha, const float *x, float *y, ptrdiff_t n);
    void (*layer_norm)(float *x, ptrdiff_t rows, ptrdiff_t cols, const float *gamma, const float *beta, float eps);
    void (*quantize_rows_u8)(const float *x, ptrdiff_t rows, ptrdiff_t cols, uint8_t *q, float *scales);
    void (*dequantize_rows)(const int32_t *acc, ptrdiff_t rows, ptrdiff_t cols, const float *row_scales,
                            const float *column_scales, const int32_t *column_sums, const float *bias, float *y);
    void (*to_bfloat16)(const float *x, uint16_t *y, ptrdiff_t n);
};

extern const struct vk_table vk_table_baseline;
#if defined(__x86_64__)
extern const struct vk_table vk_table_avx2;
extern const struct vk_table vk_table_avx512;
#endif

#endif
