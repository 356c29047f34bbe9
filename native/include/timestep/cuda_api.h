/* The CUDA library (libtimestep_cuda): its device, memory and settings, and the prototypes of
 * its implementations of the ops in ops.h (ts_cuda_<op>, called through ts_cuda_device()'s
 * table; the native harness calls them directly). Plain C, no CUDA types, so the JNI glue
 * compiles with g++ alone. Device pointers travel as float* (Java passes them as long).
 * Every op computes what its ts_cpu_* twin does (same arguments, same accumulate rules); every
 * reduction that feeds a gradient runs in a fixed order, so repeated calls give bitwise
 * identical results; scratch memory comes from the library's reusable device buffers.
 * Built without nvcc (cuda_stub), ts_cuda_device() is NULL and the rest answer TS_ERR_NO_CUDA. */
#ifndef TIMESTEP_CUDA_API_H
#define TIMESTEP_CUDA_API_H

#include "timestep/ops.h"

#ifdef __cplusplus
extern "C" {
#endif

const char* ts_cuda_last_error(void);

/* The CUDA device (the current one, see ts_cuda_set_device): its op table (static; never
 * freed). NULL in a build without CUDA kernels. */
const ts_device* ts_cuda_device(void);

/* 1 when this library was compiled with CUDA kernels, 0 for the CPU-only stub. */
int ts_cuda_compiled(void);
/* Number of usable devices; 0 (and TS_ERR_NO_CUDA) without a driver or device. */
int ts_cuda_device_count(int* count);
int ts_cuda_device_name(int device, char* name, int capacity);
int ts_cuda_set_device(int device);
int ts_cuda_mem_info(long long* free_bytes, long long* total_bytes);
int ts_cuda_synchronize(void);

int ts_cuda_malloc(long long bytes, long long* device_ptr);
int ts_cuda_free(long long device_ptr);
int ts_cuda_upload(float* device_dst, const float* host_src, long long n);
int ts_cuda_download(const float* device_src, float* host_dst, long long n);

TS_OPS(TS_OPS_DECLARE_CUDA_)

/* How the recurrent ops run their time loop (for tests and benchmarks; AUTO is the default):
 *   STEPS  two launches per step (a GEMM for h.U, then the cell kernel), any size;
 *   BLOCK  one persistent launch, each block owns whole batch rows and all units, with U in
 *          shared memory and only block-level synchronisation (when U fits one block);
 *   GRID   one persistent cooperative launch, each block owns a slice of units (its slice of U
 *          in shared memory) and grid-wide synchronisation every step (twice for LN_SIMPLE,
 *          whose layer norm needs whole rows).
 * AUTO takes BLOCK, else GRID, else STEPS. A forced strategy that cannot run for a shape falls
 * back to AUTO's choice; ts_cuda_rnn_last_strategy() says which one the last call used. Under
 * AUTO a GRID launch the device refuses (too many blocks resident elsewhere) runs as STEPS, said
 * once on stderr; with GRID forced the refusal is the call's error. */
#define TS_RNN_STRATEGY_AUTO 0
#define TS_RNN_STRATEGY_STEPS 1
#define TS_RNN_STRATEGY_BLOCK 2
#define TS_RNN_STRATEGY_GRID 3
int ts_cuda_rnn_set_strategy(int strategy);
int ts_cuda_rnn_last_strategy(void);

/* Which code runs ts_cuda_matmul. cuBLAS is never linked: the library looks for
 * libcublas.so.13 at run time (first in $TS_CUBLAS_LIBRARY, then the loader path, then
 * $CUDA_HOME and /usr/local/cuda, then Python packages: torch/lib, nvidia/cu13/lib and
 * nvidia/cublas/lib) the first time it may be used, and falls back to its own
 * kernels when none loads. cuBLAS runs in float32 (never TF32).
 *   AUTO    cuBLAS for products of at least 2^21 multiply-adds (m*n*k) when it is loaded,
 *           the library's own kernels otherwise (they start faster on small products);
 *   OWN     the library's own kernels only (matmul never loads cuBLAS);
 *   CUBLAS  cuBLAS for every non-empty product when it is loaded. */
#define TS_GEMM_AUTO 0
#define TS_GEMM_OWN 1
#define TS_GEMM_CUBLAS 2
/* TS_ERR_INVALID_ARGUMENT for any other mode (the current one stays). */
int ts_cuda_gemm_set_mode(int mode);
/* Loads cuBLAS if that was not tried yet (on the current device) and describes the outcome in
 * `text`, NUL-terminated and cut to capacity (nothing is written when text is null or capacity
 * is below 1): e.g. "cuBLAS 130001 from /usr/local/cuda/lib64/libcublas.so.13" or
 * "none: libcublas.so.13 not found (tried ...)". Returns 1 when cuBLAS is loaded, else 0
 * (always 0, with a "none: ..." text, in the stub and the CPU emulation builds). */
int ts_cuda_gemm_library(char* text, int capacity);

#ifdef __cplusplus
}
#endif
#endif
