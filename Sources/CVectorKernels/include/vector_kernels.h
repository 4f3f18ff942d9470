#ifndef SEQ2SEQ_VECTOR_KERNELS_H
#define SEQ2SEQ_VECTOR_KERNELS_H

// Vector kernels over float buffers, compiled for AVX-512, AVX2 and baseline x86-64 (and the
// plain build elsewhere); the first call picks the widest the CPU runs, capped by
// ONEDNN_MAX_CPU_ISA (AVX2, SSE41, AVX) as oneDNN is. Each is a plain loop the compiler
// vectorises: no intrinsics, the same results on every path up to the order of additions.

#include <stddef.h>
#include <stdint.h>

/// The largest of n >= 1 values.
float vk_maximum(const float *x, ptrdiff_t n);
/// Index of the first of the largest of n >= 1 values.
ptrdiff_t vk_argmax(const float *x, ptrdiff_t n);
/// log(sum(exp(x))) over n >= 1 values, stably.
float vk_log_sum_exp(const float *x, ptrdiff_t n);
/// x * sigmoid(x) in place.
void vk_swish(float *x, ptrdiff_t n);
/// dy[i] *= the derivative of x * sigmoid(x) at x[i]: s * (1 + x * (1 - s)), s = sigmoid(x[i]).
void vk_swish_backward(float *dy, const float *x, ptrdiff_t n);
/// x[i] = exp(x[i] - shift) * scale + offset in place.
void vk_scaled_exp(float *x, ptrdiff_t n, float shift, float scale, float offset);
/// Softmax of n >= 1 values in place.
void vk_softmax(float *x, ptrdiff_t n);
/// sum(a[i] * b[i]).
float vk_dot(const float *a, const float *b, ptrdiff_t n);
/// y[i] += alpha * x[i].
void vk_accumulate(float alpha, const float *x, float *y, ptrdiff_t n);
/// Layer normalisation of rows x cols values in place (biased variance, as torch.nn.LayerNorm).
void vk_layer_norm(float *x, ptrdiff_t rows, ptrdiff_t cols, const float *gamma, const float *beta, float eps);

/// Quantizes each of rows x cols values per row for an int8 product: scale[r] = max|x[r,:]| / 127
/// (1 for a row of zeros), q = round(x / scale) + 128 as unsigned bytes (1...255).
void vk_quantize_rows_u8(const float *x, ptrdiff_t rows, ptrdiff_t cols, uint8_t *q, float *scales);
/// The float result of an int8 product of rows quantized by vk_quantize_rows_u8 with columns
/// quantized by column_scales: y = (acc - 128 * column_sums) * row_scales[r] * column_scales[c] + bias[c].
void vk_dequantize_rows(const int32_t *acc, ptrdiff_t rows, ptrdiff_t cols, const float *row_scales,
                        const float *column_scales, const int32_t *column_sums, const float *bias, float *y);
/// bfloat16 values of n floats, rounded to nearest even.
void vk_to_bfloat16(const float *x, uint16_t *y, ptrdiff_t n);

/// The instruction set the kernels run: "avx512", "avx2" or "baseline".
const char *vk_instruction_set(void);
/// Returns the heap memory freed so far to the system (glibc's malloc_trim; nothing elsewhere).
void vk_release_freed_memory(void);

#endif
