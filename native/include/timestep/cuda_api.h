/* The C ABI of the CUDA backend (libtimestep_cuda). Plain C, no CUDA types, so the JNI glue
 * compiles with g++ alone. Device pointers travel as float* (Java passes them as long).
 * Every compute function mirrors its ts_cpu_* twin in cpu_api.h exactly (same arguments,
 * same accumulate rules); only memory management is CUDA-specific.
 * Built without nvcc, the same symbols exist and return TS_ERR_NO_CUDA. */
#ifndef TIMESTEP_CUDA_API_H
#define TIMESTEP_CUDA_API_H

#include "timestep/status.h"

#ifdef __cplusplus
extern "C" {
#endif

const char* ts_cuda_last_error(void);

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

int ts_cuda_fill(float* x, long long n, float value);
int ts_cuda_copy(const float* src, float* dst, long long n);
int ts_cuda_accumulate(const float* src, float* dst, long long n);
int ts_cuda_matmul(const float* a, const float* b, float* c, int m, int n, int k,
                   int trans_a, int trans_b, int accumulate);
int ts_cuda_add_bias(const float* x, const float* bias, float* y, long long rows, int cols);
int ts_cuda_bias_grad(const float* dy, float* dbias, long long rows, int cols);
int ts_cuda_add(const float* a, const float* b, float* y, long long n);
int ts_cuda_mul(const float* a, const float* b, float* y, long long n);
int ts_cuda_mul_grad(const float* dy, const float* other, float* dx, long long n);
int ts_cuda_activation(int kind, const float* x, float* y, long long n);
int ts_cuda_activation_grad(int kind, const float* y, const float* dy, float* dx, long long n);
int ts_cuda_time_step(const float* x, float* y, int batch, int steps, int features, int step);
int ts_cuda_time_step_grad(const float* dy, float* dx, int batch, int steps, int features, int step);
int ts_cuda_mse(const float* pred, const float* target, float* loss, long long n);
int ts_cuda_mse_grad(const float* pred, const float* target, const float* dloss, float* dpred,
                     long long n);
int ts_cuda_adam(float* param, const float* grad, float* m, float* v, long long n,
                 float lr_t, float beta1, float beta2, float eps);
/* rows is a HOST array; the library stages it on the device. */
int ts_cuda_gather_rows(const float* src, const int* rows, int count, long long row_len,
                        float* dst);

/* ---- sequence ops: the twins of ts_cpu_layer_norm*, ts_cpu_batch_norm*, ts_cpu_conv1d* and
 * ts_cpu_rnn_* in cpu_api.h (same arguments, same math, same cache layout, same accumulate
 * rules). Every reduction that feeds a gradient runs in a fixed order, so repeated calls give
 * bitwise identical results. Scratch memory comes from the library's reusable device buffers. */
int ts_cuda_layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                       float* rstd, long long rows, int n);
int ts_cuda_layer_norm_grad(const float* dy, const float* xhat, const float* rstd, const float* gamma,
                            float* dx, float* dgamma, float* dbeta, long long rows, int n);
int ts_cuda_batch_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                       float* mean, float* var, float* rstd, long long rows, int channels);
int ts_cuda_batch_norm_grad(const float* dy, const float* xhat, const float* rstd, const float* gamma,
                            float* dx, float* dgamma, float* dbeta, long long rows, int channels);
int ts_cuda_batch_norm_inference(const float* x, const float* gamma, const float* beta,
                                 const float* moving_mean, const float* moving_var, float* y,
                                 long long rows, int channels);
int ts_cuda_conv1d(const float* x, const float* kernel, const float* bias, float* y, int batch,
                   int steps, int in_channels, int out_channels, int kernel_size, int stride,
                   int dilation, int pad_left, int out_steps, int activation);
int ts_cuda_conv1d_grad(const float* x, const float* kernel, const float* y, const float* dy,
                        float* dx, float* dkernel, float* dbias, int batch, int steps,
                        int in_channels, int out_channels, int kernel_size, int stride,
                        int dilation, int pad_left, int out_steps, int activation);
int ts_cuda_rnn_forward(int kind, int activation, int batch, int steps, int features, int units,
                        const float* x, const float* h0, const float* kernel, const float* recurrent,
                        const float* bias, const float* extra, float* out, float* cache);
int ts_cuda_rnn_backward(int kind, int activation, int batch, int steps, int features, int units,
                         const float* x, const float* h0, const float* kernel,
                         const float* recurrent, const float* bias, const float* extra,
                         const float* out, const float* cache, const float* dout, float* dx,
                         float* dh0, float* dkernel, float* drecurrent, float* dbias,
                         float* dextra);

/* How the recurrent ops run their time loop (for tests and benchmarks; AUTO is the default):
 *   STEPS  two launches per step (a GEMM for h.U, then the cell kernel), any size;
 *   BLOCK  one persistent launch, each block owns whole batch rows and all units, with U in
 *          shared memory and only block-level synchronisation (when U fits one block);
 *   GRID   one persistent cooperative launch, each block owns a slice of units (its slice of U
 *          in shared memory) and grid-wide synchronisation every step (twice for LN_SIMPLE,
 *          whose layer norm needs whole rows).
 * AUTO takes BLOCK, else GRID, else STEPS. A forced strategy that cannot run for a shape falls
 * back to AUTO's choice; ts_cuda_rnn_last_strategy() says which one the last call used. */
#define TS_RNN_STRATEGY_AUTO 0
#define TS_RNN_STRATEGY_STEPS 1
#define TS_RNN_STRATEGY_BLOCK 2
#define TS_RNN_STRATEGY_GRID 3
int ts_cuda_rnn_set_strategy(int strategy);
int ts_cuda_rnn_last_strategy(void);

/* Which code runs ts_cuda_matmul. cuBLAS is never linked: the library looks for
 * libcublas.so.13 at run time (first in $TS_CUBLAS_LIBRARY, then the loader path, then
 * $CUDA_HOME and /usr/local/cuda) the first time it may be used, and falls back to its own
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
