// The kernels for any CPU (baseline x86-64: SSE2).
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernel_table.h"

#define NAME(kernel) kernel##_baseline
#define TABLE vk_table_baseline
#include "kernel_bodies.h"
