/* The C ABI of the native CPU backend (libtimestep_cpu). Plain C so the JNI glue compiles
 * with g++ alone. All tensors are dense row-major float32; sizes are element counts.
 * Forward functions overwrite their output; every *_grad function ACCUMULATES into its
 * gradient output (dx += ...), so the autodiff can sum gradients of reused values. */
#ifndef TIMESTEP_CPU_API_H
#define TIMESTEP_CPU_API_H

#include "timestep/status.h"

#ifdef __cplusplus
extern "C" {
#endif

const char* ts_cpu_last_error(void);

int ts_cpu_fill(float* x, long long n, float value);
int ts_cpu_copy(const float* src, float* dst, long long n);
/* dst += src */
int ts_cpu_accumulate(const float* src, float* dst, long long n);

/* c[m,n] = (accumulate ? c : 0) + op(a)[m,k] . op(b)[k,n]
 * a is stored [m,k] (or [k,m] when trans_a), b is stored [k,n] (or [n,k] when trans_b). */
int ts_cpu_matmul(const float* a, const float* b, float* c, int m, int n, int k,
                  int trans_a, int trans_b, int accumulate);

/* y[r,c] = x[r,c] + bias[c] ; dbias[c] += sum_r dy[r,c] */
int ts_cpu_add_bias(const float* x, const float* bias, float* y, long long rows, int cols);
int ts_cpu_bias_grad(const float* dy, float* dbias, long long rows, int cols);

/* y = a + b ; y = a * b ; dx += dy * other */
int ts_cpu_add(const float* a, const float* b, float* y, long long n);
int ts_cpu_mul(const float* a, const float* b, float* y, long long n);
int ts_cpu_mul_grad(const float* dy, const float* other, float* dx, long long n);

/* y = f(x) ; dx += dy * f'(x) written in terms of the output y (kind: TS_ACT_*) */
int ts_cpu_activation(int kind, const float* x, float* y, long long n);
int ts_cpu_activation_grad(int kind, const float* y, const float* dy, float* dx, long long n);

/* y[b,f] = x[b,steps-1,f] ; dx[b,steps-1,f] += dy[b,f] */
int ts_cpu_last_step(const float* x, float* y, int batch, int steps, int features);
int ts_cpu_last_step_grad(const float* dy, float* dx, int batch, int steps, int features);

/* loss[0] = mean((pred - target)^2) ; dpred += dloss[0] * 2 (pred - target) / n */
int ts_cpu_mse(const float* pred, const float* target, float* loss, long long n);
int ts_cpu_mse_grad(const float* pred, const float* target, const float* dloss, float* dpred,
                    long long n);

/* One Adam step over n parameters (Keras form: lr_t already bias-corrected,
 * p -= lr_t * m / (sqrt(v) + eps)). */
int ts_cpu_adam(float* param, const float* grad, float* m, float* v, long long n,
                float lr_t, float beta1, float beta2, float eps);

/* dst[i, :] = src[rows[i], :] for i < count; row_len floats per row. */
int ts_cpu_gather_rows(const float* src, const int* rows, int count, long long row_len,
                       float* dst);

#ifdef __cplusplus
}
#endif
#endif
