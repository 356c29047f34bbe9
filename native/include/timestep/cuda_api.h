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

#ifdef __cplusplus
}
#endif
#endif
