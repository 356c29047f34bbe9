/* The CPU library (libtimestep_cpu): its device, its own settings, and the prototypes of its
 * implementations of the ops in ops.h (ts_cpu_<op>, called through ts_cpu_device()'s table;
 * the native tests call them directly). Plain C so the JNI glue compiles with g++ alone.
 * The longer op descriptions (normalization, convolution, recurrent layers) are below. */
#ifndef TIMESTEP_CPU_API_H
#define TIMESTEP_CPU_API_H

#include "timestep/ops.h"

#ifdef __cplusplus
extern "C" {
#endif

const char* ts_cpu_last_error(void);

/* The CPU device: its op table (static; never freed). */
const ts_device* ts_cpu_device(void);

TS_OPS(TS_OPS_DECLARE_CPU_)

/* Threads the CPU kernels may use (0: every CPU this process may run on, the default).
 * Kernels split work statically, so results repeat exactly for a given thread count. */
int ts_cpu_set_threads(int threads);
int ts_cpu_threads(void);

/* Large scratch buffers (4 MB and more: a recurrent backward's gate gradients at large batches)
 * are kept for reuse when a kernel is done with them, up to `bytes` in all (default 256 MiB; 0
 * turns the cache off and frees what it holds). The cache's size in bytes, and freeing it all. */
int ts_cpu_set_scratch_cache(long long bytes);
long long ts_cpu_scratch_cached_bytes(void);
void ts_cpu_release_scratch(void);

/* The measured rate of float multiply-adds, in GFLOP/s, of `threads` threads for about
 * `seconds` each (independent FMA chains, no memory traffic): the floor of the speed reports. */
int ts_cpu_fma_peak(double seconds, int threads, double* gflops);

/* Layer normalization over the last axis of [rows, n]: per row mean and rstd =
 * 1/sqrt(var + TS_LAYER_NORM_EPSILON), xhat = (x - mean) * rstd, y = gamma * xhat + beta.
 * Forward writes y, xhat [rows, n] and rstd [rows] (what backward needs); backward ADDS into
 * dx, dgamma and dbeta. */

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

/* ---- 1-D convolution, fused with bias and activation (Conv1D / WaveNet) -----------------
 * x [B,T,Cin], kernel [K,Cin,Cout] (Keras layout), bias [Cout] or null, y [B,Tout,Cout]:
 * y[b,t,co] = act(bias[co] + sum_k sum_ci x[b, t*stride + k*dilation - pad_left, ci] * W[k,ci,co]),
 * reading zeros outside [0, T). The caller derives pad_left and out_steps from the padding mode
 * (valid, same, causal). Backward takes y (for the activation slope) and ADDS into dx (may be
 * null), dkernel and dbias (null when there is no bias). */

/* ---- Recurrent layers over whole sequences (one call forward, one call backward) ------
 * x [B,T,F] batch-major, h0 [B,H] the initial state, out [B,T,H] the state after every step.
 * kernel [F,G*H], recurrent [H,G*H], bias [G*H] (G from status.h); `extra` is the GRU's
 * recurrent bias [3H] or the LN cell's gamma then beta [2H], else null. `c0` [B,H] is the
 * LSTM's initial cell state (null: zeros); other kinds refuse a non-null c0. The LSTM's
 * final cell state is the c_t of the cache's last step (row (b, T-1), floats 4H..5H), so it
 * has no output of its own. `cache` holds what backward needs, ts_rnn_cache_floats(kind, B, T,
 * H) floats, written by forward and read by backward.
 * `activation` (TS_ACT_*) applies to SIMPLE and LN_SIMPLE; LSTM/GRU use sigmoid gates and tanh.
 * Cache layouts: [B, T, row] with these rows:
 *   SIMPLE     nothing (the slope comes from out)                         0 floats
 *   LSTM       gate activations i, f, g(=tanh candidate), o; then cell c_t  5H floats
 *   GRU        gate activations z, r, h~; then (h_{t-1}.U_h + rb_h)         4H floats
 *   LN_SIMPLE  the normalized pre-activation xhat (before gamma, beta); then 1/std   H+1 floats
 * Layer norm uses TS_LAYER_NORM_EPSILON (Keras' 1e-3) inside the square root.
 * Backward takes the forward's c0 and `dc_last` [B,H], the gradient reaching the LSTM's final
 * cell state from outside the sequence output (null: zero). The final h needs no such input:
 * it is step T-1 of out, whose gradient dout carries. Backward ACCUMULATES into dx [B,T,F],
 * dh0 [B,H], dc0 [B,H], dkernel, drecurrent, dbias, dextra; dx, dh0 and dc0 may be null when
 * not needed. c0, dc_last and dc0 are the LSTM's only: other kinds refuse them non-null. */
long long ts_rnn_cache_floats(int kind, int batch, int steps, int units);

/* ---- The fused streaming step (stream_step) ----------------------------------------------
 * One new time step of `count` live streams through a stack of layers, in one call: for each
 * stream i, x[i*F .. +F) goes through every layer in order and the last layer's output lands in
 * y[i*O .. +O). Recurrent layers (TS_RNN_*) run one step of their cell from the states kept in
 * the stream's slab row and write the new states back in place; TS_STREAM_DENSE layers are
 * y = act(x.W + b) on the vector. The arithmetic is the recurrent op's and the dense layer's
 * (cells.h; the CPU's cells use the same FastMath tanh and sigmoid as ts_cpu_rnn_forward, the
 * dense activation that of ts_cpu_activation) and the convolution's; the CPU sums each product
 * in the order of the batch kernel it replaces where it can, but results agree with a batch
 * forward to rounding, not always bit for bit.
 *   plan     host ints (status.h): [layers L, features F, row floats R, outputs O], then per
 *            layer [kind, inputs, units, activation, state offset, kernel size K, dilation d];
 *            layer 0 takes F inputs, layer l the units of layer l-1, and O is the last layer's
 *            units. A recurrent layer's states (h, then c for the LSTM) are `units` floats each
 *            from its state offset in the row; a causal convolution (TS_STREAM_CONV) keeps its
 *            last (K-1)*d inputs there, oldest first ((K-1)*d*inputs floats, zeros at first: the
 *            causal padding), shifted by one at every step; a dense layer has none (offset 0).
 *            K = d = 1 for the other kinds. 1 <= L <= TS_STREAM_MAX_LAYERS.
 *   buffers  host array of device pointers: 4 per layer [kernel, recurrent, bias, extra]
 *            (shapes as the recurrent op's; a dense layer's kernel is [inputs, units] and a
 *            convolution's [K, inputs, units], their bias [units] or null, recurrent and extra
 *            null), then `chunks` slab chunks of chunk_rows rows of R floats each.
 *   slots    host ints: the rows of the streams, slot s being row s % chunk_rows of chunk
 *            s / chunk_rows; distinct, each in [0, chunks * chunk_rows).
 *   x, y     host arrays of count*F and count*O floats (the CUDA library stages them). */

#ifdef __cplusplus
}
#endif
#endif
