/* Per-unit math of the fused recurrent cells (TS_RNN_* in status.h), written once for the CPU
 * loops and the CUDA kernels: __host__ __device__ under nvcc, plain inline under g++.
 *
 * The matrix products (x.W + b for all steps, h_{t-1}.U per step, and the backward products)
 * are NOT here: each backend does those with its own GEMM. What is here is what happens to one
 * unit j of one batch row once the pre-activations are known, following the exact semantics
 * of the recurrent op (forward, cache rows, backward), so both backends agree by construction:
 *
 *   LSTM      z = [z_i, z_f, z_g, z_o] (x.W + b + h.U), c_{-1} = 0; cache row [i, f, g, o, c]
 *   GRU       Keras reset_after=True; cache row [z, r, n, hh] with hh = (h.U + rb)_h
 *   LN_SIMPLE a = x.W + b + h.U; layer norm over the row (population variance,
 *             TS_LAYER_NORM_EPSILON), y = gamma*xhat + beta, h = act(y); cache row [xhat, rstd]
 *   SIMPLE    h = act(a): activate() / activation_slope() of math.h, nothing more.
 *
 * The transcendental functions come from a policy class M with static sigmoid(x) and tanh(x):
 * StdMath (the default) uses expf/tanhf, which nvcc device code has; the CPU loops pass their
 * own branch-free, vectorizable versions of the same functions. Nothing else from the
 * standard library is used (sqrtf only). */
#ifndef TIMESTEP_COMMON_CELLS_H
#define TIMESTEP_COMMON_CELLS_H

#include "timestep/math.h"
#include "timestep/status.h"

/* TS_HD (math.h) with forced inlining on the host too: the CPU's cell loops only vectorize
 * when the whole cell has been inlined into them. */
#if defined(__CUDACC__)
#define TS_CELL TS_HD
#elif defined(__GNUC__)
#define TS_CELL inline __attribute__((always_inline))
#else
#define TS_CELL inline
#endif

namespace timestep {

/* The default transcendental functions: libm / CUDA math (see math.h). */
struct StdMath {
  static TS_CELL float sigmoid(float x) { return ::timestep::sigmoid(x); }
  static TS_CELL float tanh(float x) { return tanhf(x); }
};

/* activate() of math.h with M's tanh and sigmoid (the SIMPLE and LN cells' activation). */
template <class M = StdMath>
TS_CELL float rnn_activate(int kind, float x) {
  switch (kind) {
    case TS_ACT_TANH: return M::tanh(x);
    case TS_ACT_SIGMOID: return M::sigmoid(x);
    case TS_ACT_RELU: return x > 0.0f ? x : 0.0f;
    default: return x;
  }
}

/* Gates per unit of each kind (the kernel is [F, G*H]), or 0 for an unknown kind. */
TS_CELL int rnn_gates(int kind) {
  switch (kind) {
    case TS_RNN_SIMPLE: return 1;
    case TS_RNN_LSTM: return 4;
    case TS_RNN_GRU: return 3;
    case TS_RNN_LN_SIMPLE: return 1;
    default: return 0;
  }
}

/* Floats per [batch, step] row of the cache (see cpu_api.h), or -1 for an unknown kind. */
TS_CELL long long rnn_cache_row(int kind, long long units) {
  switch (kind) {
    case TS_RNN_SIMPLE: return 0;
    case TS_RNN_LSTM: return 5 * units;
    case TS_RNN_GRU: return 4 * units;
    case TS_RNN_LN_SIMPLE: return units + 1;
    default: return -1;
  }
}

/* ---- LSTM (gate order i, f, g, o) ------------------------------------------------------ */

/* The state update of one unit from its gate values: c_t and h_t. */
template <class M = StdMath>
TS_CELL void lstm_cell_state(float i, float f, float g, float o, float c_prev, float& c, float& h) {
  c = f * c_prev + i * g;
  h = o * M::tanh(c);
}

/* One gate value of a row laid out [z_i, z_f, z_g, z_o], as s tanh(s z) + (1 - s): the sigmoid
 * for s = 1/2 (sigmoid(x) = tanh(x/2) / 2 + 1/2, which is how the CPU's FastMath computes it), tanh
 * itself for the g block's s = 1. One formula, so that the CPU runs a row's 4H gates as one
 * vector loop with no lane wasted on a branch, and only one multiply before the tanh and one
 * multiply-add after it. */
template <class M = StdMath>
TS_CELL float lstm_gate(float z, float s) {
  return s * M::tanh(s * z) + (1.0f - s);
}

/* One unit forward: the four pre-activations and c_{t-1} give the gates, c_t and h_t. */
template <class M = StdMath>
TS_CELL void lstm_cell_forward(float zi, float zf, float zg, float zo, float c_prev, float& i,
                               float& f, float& g, float& o, float& c, float& h) {
  i = M::sigmoid(zi);
  f = M::sigmoid(zf);
  g = M::tanh(zg);
  o = M::sigmoid(zo);
  lstm_cell_state<M>(i, f, g, o, c_prev, c, h);
}

/* One unit backward. dh = dL/dh_t (from above plus the next step), dc_next = dL/dc_t carried
 * from step t+1 (0 at the last step); i, f, g, o, c = the cache row of step t, c_prev = c_{t-1}
 * (0 at t = 0). Gives the pre-activation gradients (dRec = dXp = dz) and dL/dc_{t-1}. */
template <class M = StdMath>
TS_CELL void lstm_cell_backward(float dh, float dc_next, float i, float f, float g, float o,
                                float c, float c_prev, float& dzi, float& dzf, float& dzg,
                                float& dzo, float& dc_prev) {
  const float tc = M::tanh(c);
  const float d_o = dh * tc;
  const float dc = dc_next + dh * o * (1.0f - tc * tc);
  const float di = dc * g;
  const float df = dc * c_prev;
  const float dg = dc * i;
  dc_prev = dc * f;
  dzi = di * i * (1.0f - i);
  dzf = df * f * (1.0f - f);
  dzg = dg * (1.0f - g * g);
  dzo = d_o * o * (1.0f - o);
}

/* ---- GRU (gate order z, r, h; reset_after=True) ----------------------------------------- */

/* One unit forward. xz, xr, xh: the input side (x.W + b) of each block; hz, hr, hh: the
 * recurrent side (h_{t-1}.U + rb). Gives the update gate z, reset gate r, candidate n, h_t. */
template <class M = StdMath>
TS_CELL void gru_cell_forward(float xz, float xr, float xh, float hz, float hr, float hh,
                              float h_prev, float& z, float& r, float& n, float& h) {
  z = M::sigmoid(xz + hz);
  r = M::sigmoid(xr + hr);
  n = M::tanh(xh + r * hh);
  h = z * h_prev + (1.0f - z) * n;
}

/* One unit backward. dh = dL/dh_t; z, r, n, hh = the cache row of step t; h_prev = h_{t-1}.
 * Gives daz, dar, dan (the input-side pre-activation gradients: dXp = [daz, dar, dan]),
 * drec_h = dan * r (the recurrent-side h block: dRec = [daz, dar, drec_h]) and dh_direct,
 * the part of dL/dh_{t-1} that does not go through U. */
TS_CELL void gru_cell_backward(float dh, float z, float r, float n, float hh, float h_prev,
                               float& daz, float& dar, float& dan, float& drec_h,
                               float& dh_direct) {
  const float dn = dh * (1.0f - z);
  const float dz = dh * (h_prev - n);
  dh_direct = dh * z;
  dan = dn * (1.0f - n * n);
  const float dr = dan * hh;
  dar = dr * r * (1.0f - r);
  daz = dz * z * (1.0f - z);
  drec_h = dan * r;
}

/* ---- Layer norm over one row of n values (LN_SIMPLE) ------------------------------------ */

/* 1/sqrt(var + eps) from the sum of squared deviations of n values (population variance).
 * Split out of layer_norm_stats so the CUDA kernels, which sum a row in parallel, finish with
 * the same formula. */
TS_CELL float layer_norm_rstd(float sum_sq_dev, int n) {
  return 1.0f / sqrtf(sum_sq_dev / static_cast<float>(n) + TS_LAYER_NORM_EPSILON);
}

/* mean and 1/sqrt(var + eps) of a[0..n), population variance, two passes (stable). */
TS_CELL void layer_norm_stats(const float* a, int n, float& mean, float& rstd) {
  float sum = 0.0f;
  for (int j = 0; j < n; ++j) sum += a[j];
  const float mu = sum / static_cast<float>(n);
  float sq = 0.0f;
  for (int j = 0; j < n; ++j) {
    const float d = a[j] - mu;
    sq += d * d;
  }
  mean = mu;
  rstd = layer_norm_rstd(sq, n);
}

/* xhat of one value given the row statistics. */
TS_CELL float layer_norm_normalize(float a, float mean, float rstd) { return (a - mean) * rstd; }

/* One unit of the LN cell after normalization: h = act(gamma * xhat + beta). */
template <class M = StdMath>
TS_CELL float ln_cell_output(int act, float xhat, float gamma, float beta) {
  return rnn_activate<M>(act, gamma * xhat + beta);
}

/* dL/dy of one unit from dL/dh and the output h (the activation slope from the output). */
TS_CELL float ln_cell_dy(int act, float dh, float h) { return dh * activation_slope(act, h); }

/* dL/da of one value of a layer-normalized row: rstd * (dxhat - mean(dxhat) - xhat *
 * mean(dxhat*xhat)) with dxhat = dy*gamma, given the two row means (the CUDA kernels reduce
 * them in parallel, then finish each value with this). */
TS_CELL float layer_norm_input_grad(float dy, float gamma, float xhat, float rstd, float mean_dxhat,
                                    float mean_dxhat_xhat) {
  return rstd * (dy * gamma - mean_dxhat - xhat * mean_dxhat_xhat);
}

/* Layer-norm backward over one row: dy = dL/dy (y = gamma*xhat + beta), xhat and rstd from
 * the cache. Accumulates dgamma += dy*xhat, dbeta += dy and writes
 *   da = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat*xhat)),  dxhat = dy*gamma.
 * da may be the same buffer as dy (each element is read before it is written). */
TS_CELL void layer_norm_backward_row(const float* dy, const float* xhat, const float* gamma,
                                     float rstd, int n, float* da, float* dgamma, float* dbeta) {
  float sum_dxhat = 0.0f, sum_dxhat_xhat = 0.0f;
  for (int j = 0; j < n; ++j) {
    const float dxhat = dy[j] * gamma[j];
    sum_dxhat += dxhat;
    sum_dxhat_xhat += dxhat * xhat[j];
    dgamma[j] += dy[j] * xhat[j];
    dbeta[j] += dy[j];
  }
  const float inv_n = 1.0f / static_cast<float>(n);
  const float mean_dxhat = sum_dxhat * inv_n;
  const float mean_dxhat_xhat = sum_dxhat_xhat * inv_n;
  for (int j = 0; j < n; ++j)
    da[j] = layer_norm_input_grad(dy[j], gamma[j], xhat[j], rstd, mean_dxhat, mean_dxhat_xhat);
}

}  // namespace timestep

#endif
