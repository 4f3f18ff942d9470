// The kernels for CPUs with AVX-512 (F, BW, DQ, VL).
#if defined(__x86_64__)
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel_table.h"

#define NAME(kernel) kernel##_avx512
#define TABLE vk_table_avx512
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#include "kernel_bodies.h"
#pragma clang attribute pop
#endif
