// OpenBLAS is loaded at run time with dlopen so that OPENBLAS_CORETYPE can be chosen before the
// library initialises (Debian's 0.3.21 misdetects recent Intel CPUs). Only the CBLAS constants are
// needed at compile time.
#include <cblas.h>
