// The kernels for CPUs with AVX2 and FMA.
#if defined(__x86_64__)
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel_table.h"

#define NAME(kernel) kernel##_avx2
#define TABLE vk_table_avx2
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "kernel_bodies.h"
#pragma clang attribute pop
#endif
