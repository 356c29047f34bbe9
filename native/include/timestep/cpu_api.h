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

/* Threads the CPU kernels may use (0: every CPU this process may run on, the default).
 * Kernels split work statically, so results repeat exactly for a given thread count. */
int ts_cpu_set_threads(int threads);
int ts_cpu_threads(void);

/* The measured rate of float multiply-adds, in GFLOP/s, of `threads` threads for about
 * `seconds` each (independent FMA chains, no memory traffic): the floor of the speed reports. */
int ts_cpu_fma_peak(double seconds, int threads, double* gflops);

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

/* y[b,f] = x[b,step,f] ; dx[b,step,f] += dy[b,f], for 0 <= step < steps */
int ts_cpu_time_step(const float* x, float* y, int batch, int steps, int features, int step);
int ts_cpu_time_step_grad(const float* dy, float* dx, int batch, int steps, int features, int step);

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

/* Layer normalization over the last axis of [rows, n]: per row mean and rstd =
 * 1/sqrt(var + TS_LAYER_NORM_EPSILON), xhat = (x - mean) * rstd, y = gamma * xhat + beta.
 * Forward writes y, xhat [rows, n] and rstd [rows] (what backward needs); backward ADDS into
 * dx, dgamma and dbeta. */
int ts_cpu_layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                      float* rstd, long long rows, int n);
int ts_cpu_layer_norm_grad(const float* dy, const float* xhat, const float* rstd, const float* gamma,
                           float* dx, float* dgamma, float* dbeta, long long rows, int n);

/* Batch normalization over the last axis of x [rows, channels] (Keras BatchNormalization,
 * axis=-1): statistics per channel over all rows, epsilon TS_BATCH_NORM_EPSILON (Keras' 1e-3).
 * Training forward: mean[c] = mean_r x, var[c] = mean_r (x - mean[c])^2 (biased), rstd[c] =
 * 1/sqrt(var[c] + eps), xhat = (x - mean[c]) * rstd[c], y = gamma[c] * xhat + beta[c]; writes
 * y, xhat [rows, channels] and mean, var, rstd [channels] (sums in double; rows >= 1).
 * Backward (training) ADDS into dgamma (sum_r dy*xhat), dbeta (sum_r dy) and
 * dx (rstd * (dxhat - mean_r dxhat - xhat * mean_r(dxhat*xhat)), dxhat = dy*gamma); rows >= 1.
 * Inference: y = gamma[c] * (x - moving_mean[c]) / sqrt(moving_var[c] + eps) + beta[c]
 * (rows >= 0). */
#ifndef TS_BATCH_NORM_EPSILON
#define TS_BATCH_NORM_EPSILON 1e-3
#endif
int ts_cpu_batch_norm(const float* x, const float* gamma, const float* beta, float* y, float* xhat,
                      float* mean, float* var, float* rstd, long long rows, int channels);
int ts_cpu_batch_norm_grad(const float* dy, const float* xhat, const float* rstd, const float* gamma,
                           float* dx, float* dgamma, float* dbeta, long long rows, int channels);
int ts_cpu_batch_norm_inference(const float* x, const float* gamma, const float* beta,
                                const float* moving_mean, const float* moving_var, float* y,
                                long long rows, int channels);

/* ---- 1-D convolution, fused with bias and activation (Conv1D / WaveNet) -----------------
 * x [B,T,Cin], kernel [K,Cin,Cout] (Keras layout), bias [Cout] or null, y [B,Tout,Cout]:
 * y[b,t,co] = act(bias[co] + sum_k sum_ci x[b, t*stride + k*dilation - pad_left, ci] * W[k,ci,co]),
 * reading zeros outside [0, T). The caller derives pad_left and out_steps from the padding mode
 * (valid, same, causal). Backward takes y (for the activation slope) and ADDS into dx (may be
 * null), dkernel and dbias (null when there is no bias). */
int ts_cpu_conv1d(const float* x, const float* kernel, const float* bias, float* y, int batch,
                  int steps, int in_channels, int out_channels, int kernel_size, int stride,
                  int dilation, int pad_left, int out_steps, int activation);
int ts_cpu_conv1d_grad(const float* x, const float* kernel, const float* y, const float* dy,
                       float* dx, float* dkernel, float* dbias, int batch, int steps,
                       int in_channels, int out_channels, int kernel_size, int stride,
                       int dilation, int pad_left, int out_steps, int activation);

/* ---- Recurrent layers over whole sequences (one call forward, one call backward) ------
 * x [B,T,F] batch-major, h0 [B,H] the initial state, out [B,T,H] the state after every step.
 * kernel [F,G*H], recurrent [H,G*H], bias [G*H] (G from status.h); `extra` is the GRU's
 * recurrent bias [3H] or the LN cell's gamma then beta [2H], else null. The LSTM's initial
 * cell state is zero. `cache` holds what backward
 * needs, ts_rnn_cache_floats(kind, B, T, H) floats, written by forward and read by backward.
 * `activation` (TS_ACT_*) applies to SIMPLE and LN_SIMPLE; LSTM/GRU use sigmoid gates and tanh.
 * Cache layouts: [B, T, row] with these rows:
 *   SIMPLE     nothing (the slope comes from out)                         0 floats
 *   LSTM       gate activations i, f, g(=tanh candidate), o; then cell c_t  5H floats
 *   GRU        gate activations z, r, h~; then (h_{t-1}.U_h + rb_h)         4H floats
 *   LN_SIMPLE  the normalized pre-activation xhat (before gamma, beta); then 1/std   H+1 floats
 * Layer norm uses TS_LAYER_NORM_EPSILON (Keras' 1e-3) inside the square root.
 * Backward ACCUMULATES into dx [B,T,F], dh0 [B,H], dkernel, drecurrent, dbias, dextra; dx and
 * dh0 may be null when those gradients are not needed. */
long long ts_rnn_cache_floats(int kind, int batch, int steps, int units);

int ts_cpu_rnn_forward(int kind, int activation, int batch, int steps, int features, int units,
                       const float* x, const float* h0, const float* kernel, const float* recurrent,
                       const float* bias, const float* extra, float* out, float* cache);

int ts_cpu_rnn_backward(int kind, int activation, int batch, int steps, int features, int units,
                        const float* x, const float* h0, const float* kernel,
                        const float* recurrent, const float* bias, const float* extra,
                        const float* out, const float* cache, const float* dout, float* dx,
                        float* dh0, float* dkernel, float* drecurrent, float* dbias,
                        float* dextra);

#ifdef __cplusplus
}
#endif
#endif
