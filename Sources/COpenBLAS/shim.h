#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
/* cblas.h of OpenBLAS also declares openblas_set_num_threads / openblas_get_num_threads. */
#include <cblas.h>
#endif
