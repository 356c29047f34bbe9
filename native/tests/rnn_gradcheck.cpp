// Gradient check of the fused recurrent layers (CTest "rnn_gradcheck"), CPU backend only.
//
// For every kind (SIMPLE and LN_SIMPLE with each activation), on random shapes
// (B,T,F,H) = (2,4,3,5), (1,1,1,1), (5,3,17,9), (3,3,2,20), (2,2,17,33), (4,2,3,32) (the
// later ones reach the kernels' other paths: see main), with inputs and weights from
// std::mt19937 (fixed seed):
//  1. forward against a naive double-precision reference written straight from the spec
//     (out and every cache value): |native - ref| <= 1e-5 + 1e-5 |ref|;
//  2. every gradient (dx, dh0, dW, dU, db, dextra; LSTM also dc0) of L = sum(out * R), R a
//     fixed random tensor (so dout = R), plus for the LSTM sum(c_last * Rc) on its final cell
//     state (so dc_last = Rc; the LSTM starts from a random c0), against central differences D(h) =
//     (L(p+h) - L(p-h)) / 2h, L summed in double over the float outputs, Richardson-extrapolated:
//     numeric = (4 D(h/2) - D(h)) / 3 with h = 1e-2, which cancels the h^2 term (layer norm
//     rows with a small variance have rstd ~ 6 and curvature that makes plain D(1e-2) off by
//     ~4% while converging quadratically to the analytic value). Float forward passes make
//     the difference noisy (~1e-4 .. 1e-3 here), so an element passes when
//         |numeric - analytic| <= 2e-3 + 2e-2 * max(|numeric|, |analytic|).
//     With relu an element whose perturbation moves some pre-activation across 0 has no
//     derivative there: with relu, an element whose one-sided differences (L(p+h)-L(p))/h
//     and (L(p)-L(p-h))/h disagree by more than half the tolerance is counted as a kink and
//     skipped (relu runs on the tiny shapes only; see main);
//  3. accumulation: gradients start at 0.25 and must come back as 0.25 + gradient, and a
//     second backward with dx = dh0 = null gives the same parameter gradients.
// Then at the chapter's sizes (B=32, T=50, F=1 and 20, H=20; also H=256, and relu, sigmoid
// and linear on the FD path shapes) forward
// and every gradient against a double-precision BPTT written from the spec, normwise error
// max|native - ref| / max|ref| <= 1e-4 per tensor (float rounding over 50 steps and
// 1600-row sums stays near 1e-7 .. 1e-5 with a non-chaotic U, see make_problem).
// Plus a hand-computed SIMPLE case (B=1, T=2, F=1, H=1, linear: exact in float; tanh: to
// 1e-6), the cache sizes and the argument checks. One line per check; exit 1 on any failure.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "timestep/cpu_api.h"

namespace {

using Vec = std::vector<float>;

int g_failures = 0;
std::mt19937 g_rng(20240917u);

void report(bool ok, const std::string& what, const std::string& detail) {
  std::printf("%s  %-58s %s\n", ok ? "PASS" : "FAIL", what.c_str(), detail.c_str());
  if (!ok) ++g_failures;
}

const char* kind_name(int kind) {
  switch (kind) {
    case TS_RNN_SIMPLE: return "SIMPLE";
    case TS_RNN_LSTM: return "LSTM";
    case TS_RNN_GRU: return "GRU";
    default: return "LN_SIMPLE";
  }
}
const char* act_name(int act) {
  switch (act) {
    case TS_ACT_TANH: return "tanh";
    case TS_ACT_SIGMOID: return "sigmoid";
    case TS_ACT_RELU: return "relu";
    default: return "linear";
  }
}
int gates(int kind) { return kind == TS_RNN_LSTM ? 4 : kind == TS_RNN_GRU ? 3 : 1; }
int extra_size(int kind, int H) {
  return kind == TS_RNN_GRU ? 3 * H : kind == TS_RNN_LN_SIMPLE ? 2 * H : 0;
}

Vec random_vec(size_t n, float scale) {
  std::uniform_real_distribution<float> u(-scale, scale);
  Vec v(n);
  for (float& e : v) e = u(g_rng);
  return v;
}

struct Problem {
  int kind, act, B, T, F, H;
  Vec x, h0, W, U, b, extra, R;
  Vec c0, Rc;  // LSTM: the initial cell state and the loss weights of the final one; else empty
  int GH() const { return gates(kind) * H; }
  const float* extra_ptr() const { return extra.empty() ? nullptr : extra.data(); }
  const float* c0_ptr() const { return c0.empty() ? nullptr : c0.data(); }
  const float* rc_ptr() const { return Rc.empty() ? nullptr : Rc.data(); }
};

// u_scale: U ~ uniform(-u_scale, u_scale). The default 0.6 gives the small FD shapes lively
// gradients; the reference comparisons over 50 steps use 1/sqrt(H) (spectral radius ~0.6,
// like Keras' orthogonal init keeps it <= 1): with 0.6 at H = 20 the recurrence is chaotic
// (radius ~1.5) and float rounding alone grows to ~1e-3 by t = 50, for any implementation.
Problem make_problem(int kind, int act, int B, int T, int F, int H, float u_scale = 0.6f) {
  Problem p{kind, act, B, T, F, H, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  const int GH = p.GH();
  p.x = random_vec(static_cast<size_t>(B) * T * F, 1.0f);
  p.h0 = random_vec(static_cast<size_t>(B) * H, 0.8f);
  p.W = random_vec(static_cast<size_t>(F) * GH, 0.7f);
  p.U = random_vec(static_cast<size_t>(H) * GH, u_scale);
  p.b = random_vec(GH, 0.3f);
  p.extra = random_vec(extra_size(kind, H), 0.5f);
  if (kind == TS_RNN_LN_SIMPLE)
    for (int j = 0; j < H; ++j) p.extra[j] += 1.0f;  // gamma around 1
  p.R = random_vec(static_cast<size_t>(B) * T * H, 1.0f);
  if (kind == TS_RNN_LSTM) {
    p.c0 = random_vec(static_cast<size_t>(B) * H, 0.8f);
    p.Rc = random_vec(static_cast<size_t>(B) * H, 1.0f);
  }
  return p;
}

struct Forward {
  int status;
  Vec out, cache;
};

Forward run_forward(const Problem& p) {
  Forward f;
  f.out.assign(static_cast<size_t>(p.B) * p.T * p.H, 0.0f);
  f.cache.assign(static_cast<size_t>(ts_rnn_cache_floats(p.kind, p.B, p.T, p.H)), 0.0f);
  f.status = ts_cpu_rnn_forward(p.kind, p.act, p.B, p.T, p.F, p.H, p.x.data(), p.h0.data(),
                                p.c0_ptr(), p.W.data(), p.U.data(), p.b.data(), p.extra_ptr(),
                                f.out.data(), f.cache.empty() ? nullptr : f.cache.data());
  return f;
}

// The LSTM's final cell state c_{T-1} of row b, unit j: in the cache's last step.
float final_c(const Problem& p, const Vec& cache, int b, int j) {
  return cache[(static_cast<size_t>(b) * p.T + p.T - 1) * 5 * p.H + 4 * p.H + j];
}

double loss(const Problem& p) {
  Forward f = run_forward(p);
  double s = 0.0;
  for (size_t i = 0; i < f.out.size(); ++i) s += static_cast<double>(f.out[i]) * p.R[i];
  for (int b = 0; b < p.B && !p.Rc.empty(); ++b)
    for (int j = 0; j < p.H; ++j)
      s += static_cast<double>(final_c(p, f.cache, b, j)) * p.Rc[static_cast<size_t>(b) * p.H + j];
  return s;
}

// ---- the naive double reference of the forward pass (spec, literally) ----------------------

double act_d(int act, double v) {
  switch (act) {
    case TS_ACT_TANH: return std::tanh(v);
    case TS_ACT_SIGMOID: return 1.0 / (1.0 + std::exp(-v));
    case TS_ACT_RELU: return v > 0 ? v : 0;
    default: return v;
  }
}
double sig_d(double v) { return 1.0 / (1.0 + std::exp(-v)); }

void reference_forward(const Problem& p, std::vector<double>& out, std::vector<double>& cache) {
  const int B = p.B, T = p.T, F = p.F, H = p.H, GH = p.GH();
  const int row = static_cast<int>(ts_rnn_cache_floats(p.kind, 1, 1, H));
  out.assign(static_cast<size_t>(B) * T * H, 0.0);
  cache.assign(static_cast<size_t>(B) * T * row, 0.0);
  for (int b = 0; b < B; ++b) {
    std::vector<double> h(p.h0.begin() + b * H, p.h0.begin() + (b + 1) * H), c(H, 0.0);
    if (!p.c0.empty()) c.assign(p.c0.begin() + b * H, p.c0.begin() + (b + 1) * H);
    for (int t = 0; t < T; ++t) {
      const float* xt = p.x.data() + (static_cast<size_t>(b) * T + t) * F;
      std::vector<double> xp(GH), hu(GH);
      for (int g = 0; g < GH; ++g) {
        double s = p.b[g];
        for (int f = 0; f < F; ++f)
          s += static_cast<double>(xt[f]) * p.W[static_cast<size_t>(f) * GH + g];
        xp[g] = s;
        double r = 0;
        for (int j = 0; j < H; ++j) r += h[j] * p.U[static_cast<size_t>(j) * GH + g];
        hu[g] = r;
      }
      double* cr = cache.data() + (static_cast<size_t>(b) * T + t) * row;
      std::vector<double> hn(H);
      if (p.kind == TS_RNN_SIMPLE) {
        for (int j = 0; j < H; ++j) hn[j] = act_d(p.act, xp[j] + hu[j]);
      } else if (p.kind == TS_RNN_LSTM) {
        for (int j = 0; j < H; ++j) {
          const double i = sig_d(xp[j] + hu[j]), f = sig_d(xp[H + j] + hu[H + j]);
          const double g = std::tanh(xp[2 * H + j] + hu[2 * H + j]),
                       o = sig_d(xp[3 * H + j] + hu[3 * H + j]);
          c[j] = f * c[j] + i * g;
          hn[j] = o * std::tanh(c[j]);
          cr[j] = i, cr[H + j] = f, cr[2 * H + j] = g, cr[3 * H + j] = o, cr[4 * H + j] = c[j];
        }
      } else if (p.kind == TS_RNN_GRU) {
        for (int j = 0; j < H; ++j) {
          const double hz = hu[j] + p.extra[j], hr = hu[H + j] + p.extra[H + j];
          const double hh = hu[2 * H + j] + p.extra[2 * H + j];
          const double z = sig_d(xp[j] + hz), r = sig_d(xp[H + j] + hr);
          const double n = std::tanh(xp[2 * H + j] + r * hh);
          hn[j] = z * h[j] + (1 - z) * n;
          cr[j] = z, cr[H + j] = r, cr[2 * H + j] = n, cr[3 * H + j] = hh;
        }
      } else {
        std::vector<double> a(H);
        double mu = 0, var = 0;
        for (int j = 0; j < H; ++j) mu += a[j] = xp[j] + hu[j];
        mu /= H;
        for (int j = 0; j < H; ++j) var += (a[j] - mu) * (a[j] - mu);
        var /= H;
        const double rstd = 1.0 / std::sqrt(var + TS_LAYER_NORM_EPSILON);
        for (int j = 0; j < H; ++j) {
          const double xhat = (a[j] - mu) * rstd;
          hn[j] = act_d(p.act, p.extra[j] * xhat + p.extra[H + j]);
          cr[j] = xhat;
        }
        cr[H] = rstd;
      }
      h = hn;
      for (int j = 0; j < H; ++j) out[(static_cast<size_t>(b) * T + t) * H + j] = h[j];
    }
  }
}

// The backward pass of the spec in double, from the double forward (recomputed here with
// the per-step values it needs). Gradients are plain (not accumulated onto anything).
struct Grads {
  std::vector<double> dx, dh0, dW, dU, db, de, dc0;
};

Grads reference_backward(const Problem& p) {
  const int B = p.B, T = p.T, F = p.F, H = p.H, GH = p.GH(), kind = p.kind;
  Grads g;
  g.dx.assign(p.x.size(), 0);
  g.dh0.assign(p.h0.size(), 0);
  g.dW.assign(p.W.size(), 0);
  g.dU.assign(p.U.size(), 0);
  g.db.assign(p.b.size(), 0);
  g.de.assign(p.extra.size(), 0);
  g.dc0.assign(p.c0.size(), 0);
  for (int b = 0; b < B; ++b) {
    // forward, keeping h_{t-1}, c, gates, etc. per step
    std::vector<std::vector<double>> hs(T + 1, std::vector<double>(H)),
        cs(T + 1, std::vector<double>(H, 0.0));
    std::vector<std::vector<double>> gate(T, std::vector<double>(4 * H + 1));
    for (int j = 0; j < H; ++j) hs[0][j] = p.h0[static_cast<size_t>(b) * H + j];
    for (int j = 0; j < H && !p.c0.empty(); ++j) cs[0][j] = p.c0[static_cast<size_t>(b) * H + j];
    for (int t = 0; t < T; ++t) {
      const float* xt = p.x.data() + (static_cast<size_t>(b) * T + t) * F;
      std::vector<double> xp(GH), hu(GH);
      for (int c = 0; c < GH; ++c) {
        double s = p.b[c], r = 0;
        for (int f = 0; f < F; ++f)
          s += static_cast<double>(xt[f]) * p.W[static_cast<size_t>(f) * GH + c];
        for (int j = 0; j < H; ++j) r += hs[t][j] * p.U[static_cast<size_t>(j) * GH + c];
        xp[c] = s, hu[c] = r;
      }
      std::vector<double>& q = gate[t];
      if (kind == TS_RNN_SIMPLE) {
        for (int j = 0; j < H; ++j) hs[t + 1][j] = act_d(p.act, xp[j] + hu[j]);
      } else if (kind == TS_RNN_LSTM) {
        for (int j = 0; j < H; ++j) {
          q[j] = sig_d(xp[j] + hu[j]), q[H + j] = sig_d(xp[H + j] + hu[H + j]);
          q[2 * H + j] = std::tanh(xp[2 * H + j] + hu[2 * H + j]),
                    q[3 * H + j] = sig_d(xp[3 * H + j] + hu[3 * H + j]);
          cs[t + 1][j] = q[H + j] * cs[t][j] + q[j] * q[2 * H + j];
          hs[t + 1][j] = q[3 * H + j] * std::tanh(cs[t + 1][j]);
        }
      } else if (kind == TS_RNN_GRU) {
        for (int j = 0; j < H; ++j) {
          const double hh = hu[2 * H + j] + p.extra[2 * H + j];
          q[j] = sig_d(xp[j] + hu[j] + p.extra[j]);
          q[H + j] = sig_d(xp[H + j] + hu[H + j] + p.extra[H + j]);
          q[2 * H + j] = std::tanh(xp[2 * H + j] + q[H + j] * hh);
          q[3 * H + j] = hh;
          hs[t + 1][j] = q[j] * hs[t][j] + (1 - q[j]) * q[2 * H + j];
        }
      } else {
        double mu = 0, var = 0;
        for (int j = 0; j < H; ++j) mu += xp[j] + hu[j];
        mu /= H;
        for (int j = 0; j < H; ++j) var += (xp[j] + hu[j] - mu) * (xp[j] + hu[j] - mu);
        const double rstd = 1.0 / std::sqrt(var / H + TS_LAYER_NORM_EPSILON);
        for (int j = 0; j < H; ++j) {
          q[j] = (xp[j] + hu[j] - mu) * rstd;
          hs[t + 1][j] = act_d(p.act, p.extra[j] * q[j] + p.extra[H + j]);
        }
        q[H] = rstd;
      }
    }
    // BPTT
    std::vector<double> dh_next(H, 0.0), dc_next(H, 0.0);
    for (int j = 0; j < H && !p.Rc.empty(); ++j) dc_next[j] = p.Rc[static_cast<size_t>(b) * H + j];
    for (int t = T - 1; t >= 0; --t) {
      const std::vector<double>& q = gate[t];
      std::vector<double> dh(H), dxp(GH), drec(GH), direct(H, 0.0);
      for (int j = 0; j < H; ++j)
        dh[j] = p.R[(static_cast<size_t>(b) * T + t) * H + j] + dh_next[j];
      auto slope = [&](double y) {
        switch (p.act) {
          case TS_ACT_TANH: return 1 - y * y;
          case TS_ACT_SIGMOID: return y * (1 - y);
          case TS_ACT_RELU: return y > 0 ? 1.0 : 0.0;
          default: return 1.0;
        }
      };
      if (kind == TS_RNN_SIMPLE) {
        for (int j = 0; j < H; ++j) dxp[j] = drec[j] = dh[j] * slope(hs[t + 1][j]);
      } else if (kind == TS_RNN_LSTM) {
        for (int j = 0; j < H; ++j) {
          const double i = q[j], f = q[H + j], gg = q[2 * H + j], o = q[3 * H + j];
          const double tc = std::tanh(cs[t + 1][j]);
          const double dc = dc_next[j] + dh[j] * o * (1 - tc * tc);
          dxp[j] = dc * gg * i * (1 - i);
          dxp[H + j] = dc * cs[t][j] * f * (1 - f);
          dxp[2 * H + j] = dc * i * (1 - gg * gg);
          dxp[3 * H + j] = dh[j] * tc * o * (1 - o);
          dc_next[j] = dc * f;
        }
        drec = dxp;
      } else if (kind == TS_RNN_GRU) {
        for (int j = 0; j < H; ++j) {
          const double z = q[j], r = q[H + j], n = q[2 * H + j], hh = q[3 * H + j];
          const double dan = dh[j] * (1 - z) * (1 - n * n);
          dxp[j] = drec[j] = dh[j] * (hs[t][j] - n) * z * (1 - z);
          dxp[H + j] = drec[H + j] = dan * hh * r * (1 - r);
          dxp[2 * H + j] = dan;
          drec[2 * H + j] = dan * r;
          direct[j] = dh[j] * z;
        }
        for (int c = 0; c < GH; ++c) g.de[c] += drec[c];
      } else {
        std::vector<double> dy(H);
        double m1 = 0, m2 = 0;
        for (int j = 0; j < H; ++j) {
          dy[j] = dh[j] * slope(hs[t + 1][j]);
          g.de[j] += dy[j] * q[j];
          g.de[H + j] += dy[j];
          m1 += dy[j] * p.extra[j];
          m2 += dy[j] * p.extra[j] * q[j];
        }
        m1 /= H, m2 /= H;
        for (int j = 0; j < H; ++j) dxp[j] = drec[j] = q[H] * (dy[j] * p.extra[j] - m1 - q[j] * m2);
      }
      const float* xt = p.x.data() + (static_cast<size_t>(b) * T + t) * F;
      for (int c = 0; c < GH; ++c) {
        g.db[c] += dxp[c];
        for (int f = 0; f < F; ++f) {
          g.dW[static_cast<size_t>(f) * GH + c] += xt[f] * dxp[c];
          g.dx[(static_cast<size_t>(b) * T + t) * F + f] +=
              dxp[c] * p.W[static_cast<size_t>(f) * GH + c];
        }
        for (int j = 0; j < H; ++j) g.dU[static_cast<size_t>(j) * GH + c] += hs[t][j] * drec[c];
      }
      for (int j = 0; j < H; ++j) {
        double s = direct[j];
        for (int c = 0; c < GH; ++c) s += drec[c] * p.U[static_cast<size_t>(j) * GH + c];
        dh_next[j] = s;
      }
    }
    for (int j = 0; j < H; ++j) g.dh0[static_cast<size_t>(b) * H + j] = dh_next[j];
    for (int j = 0; j < H && !p.c0.empty(); ++j) g.dc0[static_cast<size_t>(b) * H + j] = dc_next[j];
  }
  return g;
}

// Normwise error max_i |got_i - want_i| / max(1e-6, max_i |want_i|).
double normwise(const Vec& got, const std::vector<double>& want) {
  double diff = 0, scale = 1e-6;
  for (size_t i = 0; i < got.size(); ++i) {
    diff = std::fmax(diff, std::fabs(got[i] - want[i]));
    scale = std::fmax(scale, std::fabs(want[i]));
  }
  return diff / scale;
}

double max_excess(const Vec& got, const std::vector<double>& want, double abs_tol, double rel_tol) {
  double worst = 0;  // largest |got-want| / (abs_tol + rel_tol |want|); <= 1 passes
  for (size_t i = 0; i < got.size(); ++i)
    worst =
        std::fmax(worst, std::fabs(got[i] - want[i]) / (abs_tol + rel_tol * std::fabs(want[i])));
  return worst;
}

// ---- gradient check of one problem ----------------------------------------------------------

constexpr float kStep = 1e-2f;
constexpr double kAbsTol = 2e-3, kRelTol = 2e-2;
constexpr float kPrefill = 0.25f;

bool close(double numeric, double analytic) {
  return std::fabs(numeric - analytic) <=
         kAbsTol + kRelTol * std::fmax(std::fabs(numeric), std::fabs(analytic));
}

void check_problem(Problem p) {
  char label[96];
  std::snprintf(label, sizeof label, "%s/%s B=%d T=%d F=%d H=%d", kind_name(p.kind),
                act_name(p.act), p.B, p.T, p.F, p.H);
  const std::string name = label;
  Forward f = run_forward(p);
  if (f.status != TS_OK) {
    report(false, name + " forward", ts_cpu_last_error());
    return;
  }
  {
    std::vector<double> ro, rc;
    reference_forward(p, ro, rc);
    const double eo = max_excess(f.out, ro, 1e-5, 1e-5), ec = max_excess(f.cache, rc, 1e-5, 1e-5);
    char detail[96];
    std::snprintf(detail, sizeof detail, "out %.3f cache %.3f (of tolerance)", eo, ec);
    report(eo <= 1 && ec <= 1, name + " forward vs double reference", detail);
  }

  // Analytic gradients, accumulated onto kPrefill.
  Vec dx(p.x.size(), kPrefill), dh0(p.h0.size(), kPrefill), dW(p.W.size(), kPrefill),
      dU(p.U.size(), kPrefill), db(p.b.size(), kPrefill), de(p.extra.size(), kPrefill),
      dc0(p.c0.size(), kPrefill);
  int st =
      ts_cpu_rnn_backward(p.kind, p.act, p.B, p.T, p.F, p.H, p.x.data(), p.h0.data(), p.c0_ptr(),
                          p.W.data(), p.U.data(), p.b.data(), p.extra_ptr(), f.out.data(),
                          f.cache.empty() ? nullptr : f.cache.data(), p.R.data(), p.rc_ptr(),
                          dx.data(), dh0.data(), dc0.empty() ? nullptr : dc0.data(), dW.data(),
                          dU.data(), db.data(), de.empty() ? nullptr : de.data());
  if (st != TS_OK) {
    report(false, name + " backward", ts_cpu_last_error());
    return;
  }
  // Again with dx = dh0 = null: the parameter gradients must not change.
  {
    Vec dW2(p.W.size(), kPrefill), dU2(p.U.size(), kPrefill), db2(p.b.size(), kPrefill),
        de2(p.extra.size(), kPrefill);
    st = ts_cpu_rnn_backward(p.kind, p.act, p.B, p.T, p.F, p.H, p.x.data(), p.h0.data(), p.c0_ptr(),
                             p.W.data(), p.U.data(), p.b.data(), p.extra_ptr(), f.out.data(),
                             f.cache.empty() ? nullptr : f.cache.data(), p.R.data(), p.rc_ptr(),
                             nullptr, nullptr, nullptr, dW2.data(), dU2.data(), db2.data(),
                             de2.empty() ? nullptr : de2.data());
    report(st == TS_OK && dW2 == dW && dU2 == dU && db2 == db && de2 == de,
           name + " backward with null dx, dh0, dc0",
           st == TS_OK ? "same parameter gradients" : ts_cpu_last_error());
  }

  struct Target {
    const char* what;
    Vec* param;
    Vec* grad;
  };
  Target targets[] = {{"dx", &p.x, &dx},   {"dh0", &p.h0, &dh0}, {"dW", &p.W, &dW},
                      {"dU", &p.U, &dU},   {"db", &p.b, &db},    {"dextra", &p.extra, &de},
                      {"dc0", &p.c0, &dc0}};
  const bool kinks_possible =
      p.act == TS_ACT_RELU && (p.kind == TS_RNN_SIMPLE || p.kind == TS_RNN_LN_SIMPLE);
  for (const Target& tg : targets) {
    if (tg.param->empty()) continue;
    int checked = 0, kinks = 0, bad = 0;
    double worst = 0;
    size_t worst_i = 0;
    for (size_t i = 0; i < tg.param->size(); ++i) {
      float& v = (*tg.param)[i];
      const float saved = v;
      // central difference with step h; the divisor is the actual distance between the
      // perturbed floats, not 2h
      double lp = 0, lm = 0;
      auto central = [&](float h) {
        v = saved + h;
        lp = loss(p);
        v = saved - h;
        lm = loss(p);
        v = saved;
        return (lp - lm) / (static_cast<double>(saved + h) - static_cast<double>(saved - h));
      };
      const double half = central(0.5f * kStep);
      const double full = central(kStep);  // leaves lp, lm at +-kStep for the kink test
      const double numeric = (4.0 * half - full) / 3.0;
      const double analytic = static_cast<double>((*tg.grad)[i]) - kPrefill;
      if (kinks_possible) {
        const double l0 = loss(p);
        const double fwd = (lp - l0) / (static_cast<double>(saved + kStep) - saved);
        const double bwd = (l0 - lm) / (saved - static_cast<double>(saved - kStep));
        // half the tolerance: a kink with slope jump J moves the estimate by up to ~J/3
        if (std::fabs(fwd - bwd) >
            0.5 * (kAbsTol + kRelTol * std::fmax(std::fabs(fwd), std::fabs(bwd)))) {
          ++kinks;
          continue;
        }
      }
      if (!close(numeric, analytic)) ++bad;
      ++checked;
      const double err = std::fabs(numeric - analytic) /
                         (kAbsTol + kRelTol * std::fmax(std::fabs(numeric), std::fabs(analytic)));
      if (err > worst) worst = err, worst_i = i;
    }
    char detail[160];
    std::snprintf(detail, sizeof detail, "%d values, worst %.3f of tolerance at [%zu]%s", checked,
                  worst, worst_i,
                  kinks ? (", " + std::to_string(kinks) + " relu kinks skipped").c_str() : "");
    report(bad == 0 && checked > 0, name + " " + tg.what + " vs finite differences", detail);
  }
}

// ---- chapter-size shapes against the double reference (forward and all gradients) ---------

constexpr double kNormwiseTol = 1e-4;

void check_against_reference(Problem p) {
  char label[96];
  std::snprintf(label, sizeof label, "%s/%s B=%d T=%d F=%d H=%d", kind_name(p.kind),
                act_name(p.act), p.B, p.T, p.F, p.H);
  Forward f = run_forward(p);
  Vec dx(p.x.size(), 0), dh0(p.h0.size(), 0), dW(p.W.size(), 0), dU(p.U.size(), 0),
      db(p.b.size(), 0), de(p.extra.size(), 0), dc0(p.c0.size(), 0);
  const int st = f.status != TS_OK
                     ? f.status
                     : ts_cpu_rnn_backward(
                           p.kind, p.act, p.B, p.T, p.F, p.H, p.x.data(), p.h0.data(), p.c0_ptr(),
                           p.W.data(), p.U.data(), p.b.data(), p.extra_ptr(), f.out.data(),
                           f.cache.empty() ? nullptr : f.cache.data(), p.R.data(), p.rc_ptr(),
                           dx.data(), dh0.data(), dc0.empty() ? nullptr : dc0.data(), dW.data(),
                           dU.data(), db.data(), de.empty() ? nullptr : de.data());
  if (st != TS_OK) {
    report(false, std::string(label) + " vs double reference", ts_cpu_last_error());
    return;
  }
  std::vector<double> ro, rc;
  reference_forward(p, ro, rc);
  const Grads g = reference_backward(p);
  const double errs[] = {normwise(f.out, ro),  normwise(f.cache, rc), normwise(dx, g.dx),
                         normwise(dh0, g.dh0), normwise(dW, g.dW),    normwise(dU, g.dU),
                         normwise(db, g.db),   normwise(de, g.de),    normwise(dc0, g.dc0)};
  double worst = 0;
  for (double e : errs) worst = std::fmax(worst, e);
  char detail[200];
  std::snprintf(
      detail, sizeof detail,
      "normwise out %.1e cache %.1e dx %.1e dh0 %.1e dW %.1e dU %.1e db %.1e dextra %.1e dc0 %.1e "
      "(<= %.0e)",
      errs[0], errs[1], errs[2], errs[3], errs[4], errs[5], errs[6], errs[7], errs[8],
      kNormwiseTol);
  report(worst <= kNormwiseTol, std::string(label) + " fwd+bwd vs double reference", detail);
}

// ---- hand-computed SIMPLE case ----------------------------------------------------------------

void check_hand_simple() {
  // x = [1, 2], h0 = 0.5, W = 2, U = 0.5, b = 0.25, dout = [1, 2], linear:
  //   a0 = 1*2 + 0.5*0.5 + 0.25 = 2.5 ; a1 = 2*2 + 2.5*0.5 + 0.25 = 5.5
  //   t=1: da1 = 2 ; t=0: dh = 1 + da1*U = 2, da0 = 2 ; dh0 = da0*U = 1
  //   dU = h0*da0 + h_0*da1 = 0.5*2 + 2.5*2 = 6 ; dW = 1*2 + 2*2 = 6 ; db = 4 ; dx = [4, 4]
  const float x[] = {1, 2}, h0[] = {0.5f}, W[] = {2}, U[] = {0.5f}, b[] = {0.25f}, dout[] = {1, 2};
  float out[2] = {-1, -1};
  int st = ts_cpu_rnn_forward(TS_RNN_SIMPLE, TS_ACT_LINEAR, 1, 2, 1, 1, x, h0, nullptr, W, U, b,
                              nullptr, out, nullptr);
  report(st == TS_OK && out[0] == 2.5f && out[1] == 5.5f, "hand SIMPLE/linear forward",
         "out = [2.5, 5.5]");
  float dx[2] = {1, 1}, dh0[1] = {1}, dW[1] = {1}, dU[1] = {1}, db[1] = {1};  // accumulate onto 1
  st = ts_cpu_rnn_backward(TS_RNN_SIMPLE, TS_ACT_LINEAR, 1, 2, 1, 1, x, h0, nullptr, W, U, b,
                           nullptr, out, nullptr, dout, nullptr, dx, dh0, nullptr, dW, dU, db,
                           nullptr);
  report(st == TS_OK && dx[0] == 5 && dx[1] == 5 && dh0[0] == 2 && dW[0] == 7 && dU[0] == 7 &&
             db[0] == 5,
         "hand SIMPLE/linear backward (onto 1)", "dx=[4,4] dh0=1 dW=6 dU=6 db=4");

  // The same with tanh, against the formulas in double.
  const double a0 = 2.5, h_0 = std::tanh(a0), a1 = 4 + 0.5 * h_0 + 0.25, h_1 = std::tanh(a1);
  const double da1 = 2 * (1 - h_1 * h_1), da0 = (1 + 0.5 * da1) * (1 - h_0 * h_0);
  const double want[] = {
      h_0, h_1, da0 * 2, da1 * 2, 0.5 * da0, 1 * da0 + 2 * da1, 0.5 * da0 + h_0 * da1, da0 + da1};
  float to[2];
  float tdx[2] = {0, 0}, tdh0[1] = {0}, tdW[1] = {0}, tdU[1] = {0}, tdb[1] = {0};
  st = ts_cpu_rnn_forward(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 2, 1, 1, x, h0, nullptr, W, U, b, nullptr,
                          to, nullptr);
  st |=
      ts_cpu_rnn_backward(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 2, 1, 1, x, h0, nullptr, W, U, b, nullptr,
                          to, nullptr, dout, nullptr, tdx, tdh0, nullptr, tdW, tdU, tdb, nullptr);
  const float got[] = {to[0], to[1], tdx[0], tdx[1], tdh0[0], tdW[0], tdU[0], tdb[0]};
  double worst = 0;
  for (int i = 0; i < 8; ++i) worst = std::fmax(worst, std::fabs(got[i] - want[i]));
  char detail[64];
  std::snprintf(detail, sizeof detail, "max |error| %.2e (<= 1e-6)", worst);
  report(st == TS_OK && worst <= 1e-6, "hand SIMPLE/tanh forward + backward", detail);
}

// ---- sizes and argument checks ----------------------------------------------------------------

void check_api() {
  const bool sizes = ts_rnn_cache_floats(TS_RNN_SIMPLE, 2, 3, 4) == 0 &&
                     ts_rnn_cache_floats(TS_RNN_LSTM, 2, 3, 4) == 2 * 3 * 20 &&
                     ts_rnn_cache_floats(TS_RNN_GRU, 2, 3, 4) == 2 * 3 * 16 &&
                     ts_rnn_cache_floats(TS_RNN_LN_SIMPLE, 2, 3, 4) == 2 * 3 * 5 &&
                     ts_rnn_cache_floats(7, 2, 3, 4) == -1 &&
                     ts_rnn_cache_floats(-1, 2, 3, 4) == -1;
  report(sizes, "ts_rnn_cache_floats", "0, 5H, 4H, H+1 per row; -1 for unknown kind");

  const float one[64] = {1};
  float sink[64];
  auto fwd = [&](int kind, int act, int B, int T, int F, int H, const float* extra) {
    return ts_cpu_rnn_forward(kind, act, B, T, F, H, one, one, nullptr, one, one, one, extra, sink,
                              sink);
  };
  auto expect_invalid = [](const char* what, int status) {
    report(status == TS_ERR_INVALID_ARGUMENT, std::string("rejects ") + what, ts_cpu_last_error());
  };
  expect_invalid("unknown kind", fwd(4, TS_ACT_TANH, 1, 1, 1, 1, one));
  expect_invalid("unknown activation", fwd(TS_RNN_SIMPLE, 4, 1, 1, 1, 1, nullptr));
  expect_invalid("steps = 0", fwd(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 0, 1, 1, nullptr));
  expect_invalid("features = 0", fwd(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 1, 0, 1, nullptr));
  expect_invalid("units = 0", fwd(TS_RNN_LSTM, TS_ACT_TANH, 1, 1, 1, 0, nullptr));
  expect_invalid("batch < 0", fwd(TS_RNN_SIMPLE, TS_ACT_TANH, -1, 1, 1, 1, nullptr));
  expect_invalid("GRU without extra", fwd(TS_RNN_GRU, TS_ACT_TANH, 1, 1, 1, 1, nullptr));
  expect_invalid("LN without extra", fwd(TS_RNN_LN_SIMPLE, TS_ACT_TANH, 1, 1, 1, 1, nullptr));
  expect_invalid("null x", ts_cpu_rnn_forward(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 1, 1, 1, nullptr, one,
                                              nullptr, one, one, one, nullptr, sink, nullptr));
  expect_invalid("LSTM null cache",
                 ts_cpu_rnn_forward(TS_RNN_LSTM, TS_ACT_TANH, 1, 1, 1, 1, one, one, nullptr, one,
                                    one, one, nullptr, sink, nullptr));
  expect_invalid("c0 for a GRU", ts_cpu_rnn_forward(TS_RNN_GRU, TS_ACT_TANH, 1, 1, 1, 1, one, one,
                                                    one, one, one, one, one, sink, sink));
  expect_invalid("backward GRU null dextra",
                 ts_cpu_rnn_backward(TS_RNN_GRU, TS_ACT_TANH, 1, 1, 1, 1, one, one, nullptr, one,
                                     one, one, one, one, one, one, nullptr, sink, sink, nullptr,
                                     sink, sink, sink, nullptr));
  expect_invalid("backward null dkernel",
                 ts_cpu_rnn_backward(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 1, 1, 1, one, one, nullptr, one,
                                     one, one, nullptr, one, nullptr, one, nullptr, sink, sink,
                                     nullptr, nullptr, sink, sink, nullptr));
  expect_invalid("backward null dout",
                 ts_cpu_rnn_backward(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 1, 1, 1, one, one, nullptr, one,
                                     one, one, nullptr, one, nullptr, nullptr, nullptr, sink, sink,
                                     nullptr, sink, sink, sink, nullptr));
  expect_invalid("backward dc0 for a SimpleRNN",
                 ts_cpu_rnn_backward(TS_RNN_SIMPLE, TS_ACT_TANH, 1, 1, 1, 1, one, one, nullptr, one,
                                     one, one, nullptr, one, nullptr, one, nullptr, sink, sink,
                                     sink, sink, sink, sink, nullptr));
  // An empty batch is a successful no-op, even with null batch buffers; LSTM ignores extra.
  const int empty_f = ts_cpu_rnn_forward(TS_RNN_LSTM, TS_ACT_TANH, 0, 3, 2, 2, nullptr, nullptr,
                                         nullptr, one, one, one, nullptr, nullptr, nullptr);
  const int empty_b = ts_cpu_rnn_backward(
      TS_RNN_GRU, TS_ACT_TANH, 0, 3, 2, 2, nullptr, nullptr, nullptr, one, one, one, one, nullptr,
      nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, sink, sink, sink, sink);
  report(empty_f == TS_OK && empty_b == TS_OK, "batch = 0 is a no-op", "");
  const int lstm_extra = fwd(TS_RNN_LSTM, TS_ACT_TANH, 1, 1, 1, 1, one);
  report(lstm_extra == TS_OK, "LSTM ignores a non-null extra", "");
}

}  // namespace

int main() {
  check_api();
  check_hand_simple();
  // Finite differences. Tiny shapes with every activation; then shapes that reach the
  // kernels' other paths: H >= 16 not a multiple of 16 (full SIMD chunks plus an overlapped
  // last chunk of 8 or 16), G*H or H not a multiple of 8 (zero-padded weights: 20, 33),
  // H = 32 (no padding), F >= 16 (dx by GEMM), B not a multiple of 4 (GEMM edge rows). Relu only on
  // the tiny shapes: with 20+ units most perturbations move some pre-activation across 0, and relu
  // at those shapes is checked exactly against the double reference below instead.
  struct Shape {
    int B, T, F, H;
  };
  const Shape tiny[] = {{2, 4, 3, 5}, {1, 1, 1, 1}, {5, 3, 17, 9}};
  const Shape paths[] = {{3, 3, 2, 20}, {2, 2, 17, 33}, {4, 2, 3, 32}};
  for (const Shape& s : tiny) {
    for (int kind : {TS_RNN_SIMPLE, TS_RNN_LN_SIMPLE})
      for (int act : {TS_ACT_TANH, TS_ACT_RELU, TS_ACT_SIGMOID, TS_ACT_LINEAR})
        check_problem(make_problem(kind, act, s.B, s.T, s.F, s.H));
    check_problem(make_problem(TS_RNN_LSTM, TS_ACT_TANH, s.B, s.T, s.F, s.H));
    check_problem(make_problem(TS_RNN_GRU, TS_ACT_TANH, s.B, s.T, s.F, s.H));
  }
  for (const Shape& s : paths) {
    for (int kind : {TS_RNN_SIMPLE, TS_RNN_LN_SIMPLE})
      for (int act : {TS_ACT_TANH, TS_ACT_SIGMOID, TS_ACT_LINEAR})
        check_problem(make_problem(kind, act, s.B, s.T, s.F, s.H));
    check_problem(make_problem(TS_RNN_LSTM, TS_ACT_TANH, s.B, s.T, s.F, s.H));
    check_problem(make_problem(TS_RNN_GRU, TS_ACT_TANH, s.B, s.T, s.F, s.H));
  }
  // Against the double reference: the chapter's sizes, and relu on the path shapes.
  const float u20 = 1.0f / std::sqrt(20.0f), u256 = 1.0f / 16.0f;
  for (int F : {1, 20})
    for (int kind : {TS_RNN_SIMPLE, TS_RNN_LSTM, TS_RNN_GRU, TS_RNN_LN_SIMPLE})
      check_against_reference(make_problem(kind, TS_ACT_TANH, 32, 50, F, 20, u20));
  for (int kind : {TS_RNN_SIMPLE, TS_RNN_LN_SIMPLE})
    for (int act : {TS_ACT_RELU, TS_ACT_SIGMOID, TS_ACT_LINEAR}) {
      check_against_reference(make_problem(kind, act, 32, 50, 1, 20, u20));
      for (const Shape& s : paths)
        check_against_reference(make_problem(kind, act, s.B, s.T, s.F, s.H, 0.3f));
    }
  check_against_reference(make_problem(TS_RNN_LSTM, TS_ACT_TANH, 8, 6, 20, 256, u256));
  check_against_reference(make_problem(TS_RNN_GRU, TS_ACT_TANH, 8, 6, 20, 256, u256));
  check_against_reference(make_problem(TS_RNN_LN_SIMPLE, TS_ACT_TANH, 8, 6, 20, 256, u256));
  // Batches whose pre-activations the forward projects step by step (recurrent.cpp's
  // projects_by_step: 16+ rows a part, and more than 2^19 floats of them): 64 rows run as four
  // slices of 16 (as one part of 64 on one thread), and T is just long enough for each kind's
  // padded gate width.
  const float u33 = 1.0f / std::sqrt(33.0f);
  for (int kind : {TS_RNN_SIMPLE, TS_RNN_LSTM, TS_RNN_GRU, TS_RNN_LN_SIMPLE}) {
    const int gates = kind == TS_RNN_LSTM ? 4 : kind == TS_RNN_GRU ? 3 : 1;
    const int padded = (gates * 33 + 7) / 8 * 8;
    check_against_reference(
        make_problem(kind, TS_ACT_TANH, 64, (1 << 19) / (16 * padded) + 1, 3, 33, u33));
  }
  // A backward whose per-slice gate gradients reach 4 MB (2^20 floats), the size from which
  // scratch buffers sit on 2 MB pages and are kept for reuse (scratch.h). Run twice: the second
  // backward gets the first one's buffers back, with their old contents.
  for (int run = 0; run < 2; ++run)
    check_against_reference(
        make_problem(TS_RNN_LSTM, TS_ACT_TANH, 64, (1 << 20) / (16 * 136) + 1, 3, 33, u33));
  std::printf("%s: %d failure(s)\n", g_failures ? "FAILED" : "OK", g_failures);
  return g_failures ? 1 : 0;
}
