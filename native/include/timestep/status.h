/* Status codes shared by every Timestep native entry point.
 * Native code never aborts: each function returns one of these, and the Java side turns a
 * non-zero code into an exception that carries ts_last_error(). */
#ifndef TIMESTEP_STATUS_H
#define TIMESTEP_STATUS_H

#define TS_OK 0
#define TS_ERR_INVALID_ARGUMENT 1
#define TS_ERR_OUT_OF_MEMORY 2
#define TS_ERR_NO_CUDA 3 /* library built without nvcc, or no usable device/driver */
#define TS_ERR_CUDA 4    /* a CUDA runtime call failed; ts_*_last_error() says which */

/* Activation kinds, the same numbers as dev.timestep.backend.Activation#code(). */
#define TS_ACT_LINEAR 0
#define TS_ACT_TANH 1
#define TS_ACT_SIGMOID 2
#define TS_ACT_RELU 3

/* Recurrent cell kinds, the same numbers as dev.timestep.backend.RecurrentKind#code().
 * G = gates per unit: the kernel is [F, G*H], the recurrent kernel [H, G*H], the bias [G*H]. */
#define TS_RNN_SIMPLE 0    /* G = 1: h = act(x.W + h.U + b) */
#define TS_RNN_LSTM 1      /* G = 4, gate order i, f, c, o (Keras) */
#define TS_RNN_GRU 2       /* G = 3, gate order z, r, h; reset_after=True (Keras) */
#define TS_RNN_LN_SIMPLE 3 /* G = 1: h = act(LayerNorm(x.W + h.U + b)) */

/* The fused streaming step (stream_step in ops.h): a layer is one of the TS_RNN_* kinds,
 * TS_STREAM_DENSE or TS_STREAM_CONV. Its plan is TS_STREAM_HEADER ints [layers, features, row
 * floats, outputs] then TS_STREAM_LAYER_INTS per layer [kind, inputs, units, activation, state
 * offset, kernel size, dilation] (the last two 1 except for a convolution). */
#define TS_STREAM_DENSE 4 /* y = act(x.W + b), b optional */
#define TS_STREAM_CONV 5  /* a causal Conv1D of stride 1, K and d from the plan */
#define TS_STREAM_HEADER 4
#define TS_STREAM_LAYER_INTS 7
#define TS_STREAM_MAX_LAYERS 16

/* Elementwise loss kinds, the same numbers as dev.timestep.backend.ElementwiseLoss#code(). Each
 * scores one prediction p against its target y (d = p - y) with the kind's parameter a:
 *   ABSOLUTE             |d|                                    (a unused)
 *   HUBER                d^2 / 2 if |d| <= a, else a (|d| - a/2)  (a: delta > 0)
 *   LOG_COSH             log(cosh(d))                           (a unused)
 *   PINBALL              (1 - a) d if d >= 0, else -a d         (a: quantile in (0, 1))
 *   ABSOLUTE_PERCENTAGE  100 |d| / max(|y|, a)                  (a: epsilon > 0) */
#define TS_LOSS_ABSOLUTE 0
#define TS_LOSS_HUBER 1
#define TS_LOSS_LOG_COSH 2
#define TS_LOSS_PINBALL 3
#define TS_LOSS_ABSOLUTE_PERCENTAGE 4
/* The most parameters (predictions per target) one elementwise_loss call takes. */
#define TS_LOSS_MAX_PARAMS 256

/* Keras' LayerNormalization default epsilon: xhat = (a - mean) / sqrt(var + eps). */
#define TS_LAYER_NORM_EPSILON 1e-3f

#endif
