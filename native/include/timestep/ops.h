/* The ops of every Timestep native library: ONE C ABI, taking a device.
 *
 * A device is a small table of function pointers (in the style of ggml's backend interface).
 * Each library exports only its constructor: ts_cpu_device() (cpu_api.h) and ts_cuda_device()
 * (cuda_api.h; NULL in a build without CUDA, which answers "unavailable"). The dispatchers
 * below, ts_<op>(dev, ...), are static inline: they compile into the caller (the JNI glue), so
 * no two libraries ever export the same symbol, and both may load in one JVM.
 *
 * The list TS_OPS is the single place an op's signature is written. From it come the table
 * (struct ts_ops), the dispatchers, the prototypes of each library's implementation
 * (ts_cpu_<op> in cpu_api.h, ts_cuda_<op> in cuda_api.h) and each library's table.
 * Adding an op: one X(...) line here; see docs/ADDING-AN-OP.md.
 *
 * Plain C so the JNI glue compiles with g++ alone. All tensors are dense row-major float32;
 * sizes are element counts; a device library's pointers are its memory (host for the CPU,
 * device memory for CUDA) except where noted. Forward functions overwrite their output; every
 * *_grad function ACCUMULATES into its gradient output (dx += ...), so the autodiff can sum
 * gradients of reused values. Every function returns a TS_* status (status.h); the device's
 * last_error() says why a call failed.
 *
 * The ops, in words (the CUDA library computes the same, with the same accumulate rules):
 *   fill, copy, accumulate (dst += src).
 *   matmul: c[m,n] = (accumulate ? c : 0) + op(a)[m,k] . op(b)[k,n]; a is stored [m,k] (or
 *     [k,m] when trans_a), b is stored [k,n] (or [n,k] when trans_b).
 *   add_bias: y[r,c] = x[r,c] + bias[c]; bias_grad: dbias[c] += sum_r dy[r,c].
 *   add: y = a + b; mul: y = a * b; mul_grad: dx += dy * other.
 *   activation: y = f(x); activation_grad: dx += dy * f'(x) written in terms of the output y
 *     (kind: TS_ACT_*).
 *   time_step: y[b,f] = x[b,step,f]; time_step_grad: dx[b,step,f] += dy[b,f].
 *   mse: loss[0] = mean((pred - target)^2); mse_grad: dpred += dloss[0] * 2 (pred - target) / n.
 *   elementwise_loss: k predictions per target (pred holds n*k values, target n; prediction
 *     t*k + i belongs to target t): loss[0] = mean over t < n, i < k of f_kind(pred[t*k + i],
 *     target[t]; params[i]) (kinds: TS_LOSS_* in status.h); elementwise_loss_grad:
 *     dpred[t*k + i] += dloss[0] * df/dp / (n k) and dtarget[t] += dloss[0] * sum_i df/dy / (n k),
 *     either gradient may be NULL. `params` (k floats, 1 <= k <= TS_LOSS_MAX_PARAMS) is a HOST
 *     array on every device (the CUDA library passes it by value to its kernels).
 *   sum: y[0] = sum_i x[i] (n >= 0; 0 when n is 0); sum_grad: dx[i] += dy[0].
 *   adam, sgd, rmsprop: one optimizer step over n parameters, in Keras 3's update formulas
 *     (native/common/timestep/optimizers.h). adam: lr_t already bias-corrected; decay = lr * weight
 *     decay (AdamW, applied first: p -= decay * p; 0 for none); vhat = AMSGrad's running maximum
 *     of v, or NULL. sgd: velocity NULL when momentum is 0. rmsprop: average_grad NULL unless
 *     centered, momentum_buf NULL exactly when momentum is 0.
 *   gather_rows: dst[i, :] = src[rows[i], :] for i < count, row_len floats per row; `rows` is a
 *     HOST array on every device (the CUDA library stages it).
 *   stream_step: one time step of a stack of recurrent and dense layers for `count` streams,
 *     each reading and updating its states in place in a row of a slab: see cpu_api.h.
 *   layer_norm, batch_norm*, conv1d*, rnn_*: see the comments in cpu_api.h. */
#ifndef TIMESTEP_OPS_H
#define TIMESTEP_OPS_H

#include "timestep/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, (parameters), (arguments)) for every op. */
#define TS_OPS(X)                                                                                  \
  X(fill, (float* x, long long n, float value), (x, n, value))                                     \
  X(copy, (const float* src, float* dst, long long n), (src, dst, n))                              \
  X(accumulate, (const float* src, float* dst, long long n), (src, dst, n))                        \
  X(matmul,                                                                                        \
    (const float* a, const float* b, float* c, int m, int n, int k, int trans_a, int trans_b,      \
     int accumulate),                                                                              \
    (a, b, c, m, n, k, trans_a, trans_b, accumulate))                                              \
  X(add_bias, (const float* x, const float* bias, float* y, long long rows, int cols),             \
    (x, bias, y, rows, cols))                                                                      \
  X(bias_grad, (const float* dy, float* dbias, long long rows, int cols), (dy, dbias, rows, cols)) \
  X(add, (const float* a, const float* b, float* y, long long n), (a, b, y, n))                    \
  X(mul, (const float* a, const float* b, float* y, long long n), (a, b, y, n))                    \
  X(mul_grad, (const float* dy, const float* other, float* dx, long long n), (dy, other, dx, n))   \
  X(activation, (int kind, const float* x, float* y, long long n), (kind, x, y, n))                \
  X(activation_grad, (int kind, const float* y, const float* dy, float* dx, long long n),          \
    (kind, y, dy, dx, n))                                                                          \
  X(time_step, (const float* x, float* y, int batch, int steps, int features, int step),           \
    (x, y, batch, steps, features, step))                                                          \
  X(time_step_grad, (const float* dy, float* dx, int batch, int steps, int features, int step),    \
    (dy, dx, batch, steps, features, step))                                                        \
  X(mse, (const float* pred, const float* target, float* loss, long long n),                       \
    (pred, target, loss, n))                                                                       \
  X(mse_grad,                                                                                      \
    (const float* pred, const float* target, const float* dloss, float* dpred, long long n),       \
    (pred, target, dloss, dpred, n))                                                               \
  X(elementwise_loss,                                                                              \
    (int kind, const float* params, int k, const float* pred, const float* target, float* loss,    \
     long long n),                                                                                 \
    (kind, params, k, pred, target, loss, n))                                                      \
  X(elementwise_loss_grad,                                                                         \
    (int kind, const float* params, int k, const float* pred, const float* target,                 \
     const float* dloss, float* dpred, float* dtarget, long long n),                               \
    (kind, params, k, pred, target, dloss, dpred, dtarget, n))                                     \
  X(sum, (const float* x, float* y, long long n), (x, y, n))                                       \
  X(sum_grad, (const float* dy, float* dx, long long n), (dy, dx, n))                              \
  X(adam,                                                                                          \
    (float* param, const float* grad, float* m, float* v, float* vhat, long long n, float lr_t,    \
     float beta1, float beta2, float eps, float decay),                                            \
    (param, grad, m, v, vhat, n, lr_t, beta1, beta2, eps, decay))                                  \
  X(sgd,                                                                                           \
    (float* param, const float* grad, float* velocity, long long n, float lr, float momentum,      \
     int nesterov),                                                                                \
    (param, grad, velocity, n, lr, momentum, nesterov))                                            \
  X(rmsprop,                                                                                       \
    (float* param, const float* grad, float* velocity, float* average_grad, float* momentum_buf,   \
     long long n, float lr, float rho, float momentum, float eps),                                 \
    (param, grad, velocity, average_grad, momentum_buf, n, lr, rho, momentum, eps))                \
  X(gather_rows, (const float* src, const int* rows, int count, long long row_len, float* dst),    \
    (src, rows, count, row_len, dst))                                                              \
  X(layer_norm,                                                                                    \
    (const float* x, const float* gamma, const float* beta, float* y, float* xhat, float* rstd,    \
     long long rows, int n),                                                                       \
    (x, gamma, beta, y, xhat, rstd, rows, n))                                                      \
  X(layer_norm_grad,                                                                               \
    (const float* dy, const float* xhat, const float* rstd, const float* gamma, float* dx,         \
     float* dgamma, float* dbeta, long long rows, int n),                                          \
    (dy, xhat, rstd, gamma, dx, dgamma, dbeta, rows, n))                                           \
  X(batch_norm,                                                                                    \
    (const float* x, const float* gamma, const float* beta, float* y, float* xhat, float* mean,    \
     float* var, float* rstd, long long rows, int channels),                                       \
    (x, gamma, beta, y, xhat, mean, var, rstd, rows, channels))                                    \
  X(batch_norm_grad,                                                                               \
    (const float* dy, const float* xhat, const float* rstd, const float* gamma, float* dx,         \
     float* dgamma, float* dbeta, long long rows, int channels),                                   \
    (dy, xhat, rstd, gamma, dx, dgamma, dbeta, rows, channels))                                    \
  X(batch_norm_inference,                                                                          \
    (const float* x, const float* gamma, const float* beta, const float* moving_mean,              \
     const float* moving_var, float* y, long long rows, int channels),                             \
    (x, gamma, beta, moving_mean, moving_var, y, rows, channels))                                  \
  X(conv1d,                                                                                        \
    (const float* x, const float* kernel, const float* bias, float* y, int batch, int steps,       \
     int in_channels, int out_channels, int kernel_size, int stride, int dilation, int pad_left,   \
     int out_steps, int activation),                                                               \
    (x, kernel, bias, y, batch, steps, in_channels, out_channels, kernel_size, stride, dilation,   \
     pad_left, out_steps, activation))                                                             \
  X(conv1d_grad,                                                                                   \
    (const float* x, const float* kernel, const float* y, const float* dy, float* dx,              \
     float* dkernel, float* dbias, int batch, int steps, int in_channels, int out_channels,        \
     int kernel_size, int stride, int dilation, int pad_left, int out_steps, int activation),      \
    (x, kernel, y, dy, dx, dkernel, dbias, batch, steps, in_channels, out_channels, kernel_size,   \
     stride, dilation, pad_left, out_steps, activation))                                           \
  X(rnn_forward,                                                                                   \
    (int kind, int activation, int batch, int steps, int features, int units, const float* x,      \
     const float* h0, const float* c0, const float* kernel, const float* recurrent,                \
     const float* bias, const float* extra, float* out, float* cache),                             \
    (kind, activation, batch, steps, features, units, x, h0, c0, kernel, recurrent, bias, extra,   \
     out, cache))                                                                                  \
  X(rnn_backward,                                                                                  \
    (int kind, int activation, int batch, int steps, int features, int units, const float* x,      \
     const float* h0, const float* c0, const float* kernel, const float* recurrent,                \
     const float* bias, const float* extra, const float* out, const float* cache,                  \
     const float* dout, const float* dc_last, float* dx, float* dh0, float* dc0, float* dkernel,   \
     float* drecurrent, float* dbias, float* dextra),                                              \
    (kind, activation, batch, steps, features, units, x, h0, c0, kernel, recurrent, bias, extra,   \
     out, cache, dout, dc_last, dx, dh0, dc0, dkernel, drecurrent, dbias, dextra))                 \
  X(stream_step,                                                                                   \
    (const int* plan, float* const* buffers, int chunks, int chunk_rows, const int* slots,         \
     int count, const float* x, float* y),                                                         \
    (plan, buffers, chunks, chunk_rows, slots, count, x, y))

/* The table: one function pointer per op, in TS_OPS order. */
typedef struct ts_ops {
#define TS_OPS_FIELD_(name, params, args) int(*name) params;
  TS_OPS(TS_OPS_FIELD_)
#undef TS_OPS_FIELD_
} ts_ops;

/* A device: what a library's constructor returns (static storage; never freed). */
typedef struct ts_device {
  const ts_ops* ops;
  /* The message of this library's last failure on the calling thread. */
  const char* (*last_error)(void);
  /* "cpu" or "cuda". */
  const char* name;
} ts_device;

/* Declares a library's implementations: TS_OPS(TS_OPS_DECLARE_CPU_) in cpu_api.h, ... */
#define TS_OPS_DECLARE_CPU_(name, params, args) int ts_cpu_##name params;
#define TS_OPS_DECLARE_CUDA_(name, params, args) int ts_cuda_##name params;
/* Lists a library's implementations in table order: { TS_OPS(TS_OPS_ENTRY_CPU_) } */
#define TS_OPS_ENTRY_CPU_(name, params, args) ts_cpu_##name,
#define TS_OPS_ENTRY_CUDA_(name, params, args) ts_cuda_##name,

/* The dispatchers: ts_<op>(dev, ...) calls dev's implementation. */
#define TS_OPS_WITH_DEVICE_(...) (const ts_device* dev, __VA_ARGS__)
#define TS_OPS_DISPATCH_(name, params, args)                    \
  static inline int ts_##name TS_OPS_WITH_DEVICE_ params {      \
    return dev ? dev->ops->name args : TS_ERR_INVALID_ARGUMENT; \
  }
TS_OPS(TS_OPS_DISPATCH_)

static inline const char* ts_last_error(const ts_device* dev) {
  return dev ? dev->last_error() : "no device";
}

#ifdef __cplusplus
}
#endif
#endif
