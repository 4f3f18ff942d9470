#include <dnnl.h>

// Debian's oneDNN runs on GNU OpenMP; its thread count is OpenMP's (omp.h is not on the
// default include path, so the one function needed is declared here).
void omp_set_num_threads(int);
int omp_get_max_threads(void);
