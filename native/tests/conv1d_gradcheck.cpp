// Check of the fused Conv1D kernels (CTest "conv1d_gradcheck"), CPU backend only.
//  (a) hand-computed cases, exact in float: valid (T=5, K=2), causal with dilation 2, same with
//      stride 2 and even K (K=4, pad 1), stride-2 valid (K=3), K=1 (linear and relu);
//  (b) forward and every gradient against a naive direct-loop double implementation written
//      from the spec, on random shapes (odd lengths, B=1, T shorter than the receptive field,
//      Cin/Cout in {1,3,20,...}, K 1..4, stride 1..3, dilation {1,2,4,8}, the four activations,
//      valid/same/causal and free (pad, Tout) settings, bias or not, dx null or not):
//      |native - ref| <= 1e-5 + 1e-4 |ref|. Backward is fed the forward's float y and the
//      reference uses that same y for the slope, so each direction is checked on its own;
//  (c) accumulation: gradient buffers pre-filled with 0.25 come back as 0.25 + gradient;
//  (d) argument checks return TS_ERR_INVALID_ARGUMENT with a message;
//  (e) timings (WaveNet layer sizes), printed only.
// One line per check; exit 1 on any failure.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "timestep/cpu_api.h"

namespace {

using Vec = std::vector<float>;

int g_failures = 0;
int g_checks = 0;
std::mt19937 g_rng(20250311u);

void report(bool ok, const std::string& what, const std::string& detail) {
  ++g_checks;
  if (!ok || what.rfind("hand", 0) == 0 || what.rfind("error", 0) == 0)
    std::printf("%s  %-64s %s\n", ok ? "PASS" : "FAIL", what.c_str(), detail.c_str());
  if (!ok) ++g_failures;
}

const char* act_name(int act) {
  switch (act) {
    case TS_ACT_TANH: return "tanh";
    case TS_ACT_SIGMOID: return "sigmoid";
    case TS_ACT_RELU: return "relu";
    default: return "linear";
  }
}

double act_ref(int act, double z) {
  switch (act) {
    case TS_ACT_TANH: return std::tanh(z);
    case TS_ACT_SIGMOID: return 1.0 / (1.0 + std::exp(-z));
    case TS_ACT_RELU: return z > 0 ? z : 0.0;
    default: return z;
  }
}
double slope_ref(int act, double y) {
  switch (act) {
    case TS_ACT_TANH: return 1.0 - y * y;
    case TS_ACT_SIGMOID: return y * (1.0 - y);
    case TS_ACT_RELU: return y > 0 ? 1.0 : 0.0;
    default: return 1.0;
  }
}

Vec random_vec(size_t n, float scale) {
  std::uniform_real_distribution<float> u(-scale, scale);
  Vec v(n);
  for (float& e : v) e = u(g_rng);
  return v;
}

struct Shape {
  int B, T, Cin, Cout, K, s, d, p, Tout, act;
  bool bias, want_dx;
  std::string name() const {
    char buf[200];
    std::snprintf(buf, sizeof buf, "B=%d T=%d Cin=%d Cout=%d K=%d s=%d d=%d p=%d Tout=%d %s%s%s", B,
                  T, Cin, Cout, K, s, d, p, Tout, act_name(act), bias ? " bias" : "",
                  want_dx ? "" : " dx=null");
    return buf;
  }
};

// ---- naive reference, straight from the spec, in double -------------------------------------
double xpad(const Shape& c, const Vec& x, int b, long long i, int ci) {
  if (i < 0 || i >= c.T) return 0.0;
  return x[(static_cast<size_t>(b) * c.T + i) * c.Cin + ci];
}

std::vector<double> ref_forward(const Shape& c, const Vec& x, const Vec& W, const Vec* bias) {
  std::vector<double> y(static_cast<size_t>(c.B) * c.Tout * c.Cout);
  for (int b = 0; b < c.B; ++b)
    for (int t = 0; t < c.Tout; ++t)
      for (int co = 0; co < c.Cout; ++co) {
        double z = bias ? (*bias)[co] : 0.0;
        for (int k = 0; k < c.K; ++k)
          for (int ci = 0; ci < c.Cin; ++ci)
            z += xpad(c, x, b,
                      static_cast<long long>(t) * c.s + static_cast<long long>(k) * c.d - c.p, ci) *
                 W[(static_cast<size_t>(k) * c.Cin + ci) * c.Cout + co];
        y[(static_cast<size_t>(b) * c.Tout + t) * c.Cout + co] = act_ref(c.act, z);
      }
  return y;
}

struct RefGrads {
  std::vector<double> dx, dW, db;
};
RefGrads ref_backward(const Shape& c, const Vec& x, const Vec& W, const Vec& y, const Vec& dy) {
  RefGrads g;
  g.dx.assign(static_cast<size_t>(c.B) * c.T * c.Cin, 0.0);
  g.dW.assign(static_cast<size_t>(c.K) * c.Cin * c.Cout, 0.0);
  g.db.assign(c.Cout, 0.0);
  for (int b = 0; b < c.B; ++b)
    for (int t = 0; t < c.Tout; ++t)
      for (int co = 0; co < c.Cout; ++co) {
        const size_t o = (static_cast<size_t>(b) * c.Tout + t) * c.Cout + co;
        const double dz = dy[o] * slope_ref(c.act, y[o]);
        g.db[co] += dz;
        for (int k = 0; k < c.K; ++k) {
          const long long i =
              static_cast<long long>(t) * c.s + static_cast<long long>(k) * c.d - c.p;
          for (int ci = 0; ci < c.Cin; ++ci) {
            const size_t w = (static_cast<size_t>(k) * c.Cin + ci) * c.Cout + co;
            g.dW[w] += xpad(c, x, b, i, ci) * dz;
            if (i >= 0 && i < c.T)
              g.dx[(static_cast<size_t>(b) * c.T + i) * c.Cin + ci] += dz * W[w];
          }
        }
      }
  return g;
}

// max over elements of |got - (base + ref)| / (1e-5 + 1e-4 |base + ref|); <= 1 passes.
double worst(const Vec& got, const std::vector<double>& ref, float base) {
  double w = 0.0;
  if (got.size() != ref.size()) return 1e30;
  for (size_t i = 0; i < got.size(); ++i) {
    const double r = base + ref[i];
    const double e = std::fabs(got[i] - r) / (1e-5 + 1e-4 * std::fabs(r));
    if (!(e <= w)) w = std::isnan(e) ? 1e30 : e;
  }
  return w;
}

void check_close(const std::string& what, const Vec& got, const std::vector<double>& ref,
                 float base = 0.0f) {
  const double w = worst(got, ref, base);
  char buf[64];
  std::snprintf(buf, sizeof buf, "worst err/tol %.3g", w);
  report(w <= 1.0, what, buf);
}

int run_forward(const Shape& c, const Vec& x, const Vec& W, const Vec* bias, Vec& y) {
  y.assign(static_cast<size_t>(c.B) * c.Tout * c.Cout, -7.0f);
  return ts_cpu_conv1d(x.data(), W.data(), bias ? bias->data() : nullptr, y.data(), c.B, c.T, c.Cin,
                       c.Cout, c.K, c.s, c.d, c.p, c.Tout, c.act);
}

// Runs one shape through forward and backward (gradient buffers pre-filled with `base`) and
// compares with the reference.
void check_random(const Shape& c, float base) {
  const Vec x = random_vec(static_cast<size_t>(c.B) * c.T * c.Cin, 1.0f);
  const Vec W = random_vec(static_cast<size_t>(c.K) * c.Cin * c.Cout, 0.5f);
  const Vec bvec = random_vec(c.Cout, 0.5f);
  const Vec* bias = c.bias ? &bvec : nullptr;
  Vec y;
  int st = run_forward(c, x, W, bias, y);
  report(st == TS_OK, "random forward status " + c.name(), std::to_string(st));
  check_close("random forward y " + c.name(), y, ref_forward(c, x, W, bias));

  const Vec dy = random_vec(y.size(), 1.0f);
  Vec dx(c.want_dx ? x.size() : 0, base), dW(W.size(), base), db(c.bias ? c.Cout : 0, base);
  st = ts_cpu_conv1d_grad(x.data(), W.data(), y.data(), dy.data(), c.want_dx ? dx.data() : nullptr,
                          dW.data(), c.bias ? db.data() : nullptr, c.B, c.T, c.Cin, c.Cout, c.K,
                          c.s, c.d, c.p, c.Tout, c.act);
  report(st == TS_OK, "random backward status " + c.name(), std::to_string(st));
  const RefGrads g = ref_backward(c, x, W, y, dy);
  if (c.want_dx) check_close("random dx " + c.name(), dx, g.dx, base);
  check_close("random dW " + c.name(), dW, g.dW, base);
  if (c.bias) check_close("random db " + c.name(), db, g.db, base);
}

// Keras padding modes (the spec's formulas); false when the shape is invalid for the mode.
bool set_mode(Shape& c, int mode) {
  const int rf = c.d * (c.K - 1) + 1;
  switch (mode) {
    case 0:  // valid
      if (c.T < rf) return false;
      c.p = 0;
      c.Tout = (c.T - rf) / c.s + 1;
      return true;
    case 1: {  // same
      c.Tout = (c.T + c.s - 1) / c.s;
      const int total = std::max((c.Tout - 1) * c.s + rf - c.T, 0);
      c.p = total / 2;
      return true;
    }
    case 2:  // causal
      c.p = c.d * (c.K - 1);
      c.Tout = (c.T - 1) / c.s + 1;
      return true;
    default: {  // free: any pad and output length (reads zeros past both ends)
      std::uniform_int_distribution<int> pd(0, 6), td(1, c.T + 4);
      c.p = pd(g_rng);
      c.Tout = td(g_rng);
      return true;
    }
  }
}

// ---- (a) hand-computed cases -------------------------------------------------------------------
void expect_exact(const std::string& what, const Vec& got, const Vec& want) {
  bool ok = got.size() == want.size();
  std::string detail;
  for (size_t i = 0; ok && i < got.size(); ++i) ok = got[i] == want[i];
  for (size_t i = 0; i < got.size(); ++i)
    detail += (i ? " " : "") + std::to_string(got[i]).substr(0, 8);
  report(ok, what, "[" + detail + "]");
}

// Cin = Cout = 1, one batch row: y = conv(x) (+ bias), then dy = ones.
void hand_1d(const std::string& name, const Vec& x, const Vec& W, const float* bias, int s, int d,
             int p, int Tout, const Vec& want_y, const Vec& want_dx, const Vec& want_dW,
             float want_db) {
  const int T = static_cast<int>(x.size()), K = static_cast<int>(W.size());
  Vec y(Tout, -1.0f);
  int st = ts_cpu_conv1d(x.data(), W.data(), bias, y.data(), 1, T, 1, 1, K, s, d, p, Tout,
                         TS_ACT_LINEAR);
  report(st == TS_OK, "hand " + name + " forward status", std::to_string(st));
  expect_exact("hand " + name + " y", y, want_y);
  const Vec dy(Tout, 1.0f);
  Vec dx(T, 0.0f), dW(K, 0.0f), db(1, 0.0f);
  st = ts_cpu_conv1d_grad(x.data(), W.data(), y.data(), dy.data(), dx.data(), dW.data(),
                          bias ? db.data() : nullptr, 1, T, 1, 1, K, s, d, p, Tout, TS_ACT_LINEAR);
  report(st == TS_OK, "hand " + name + " backward status", std::to_string(st));
  expect_exact("hand " + name + " dx", dx, want_dx);
  expect_exact("hand " + name + " dW", dW, want_dW);
  if (bias) expect_exact("hand " + name + " db", db, {want_db});
}

void hand_cases() {
  const Vec x5 = {1, 2, 3, 4, 5};
  const float half = 0.5f;
  // valid, K=2: y[t] = x[t] + 10 x[t+1] + 0.5
  hand_1d("valid T=5 K=2", x5, {1, 10}, &half, 1, 1, 0, 4, {21.5f, 32.5f, 43.5f, 54.5f},
          {1, 11, 11, 11, 10}, {10, 14}, 4);
  // causal, K=2, d=2: p=2, y[t] = x[t-2] + 10 x[t]
  hand_1d("causal K=2 d=2", x5, {1, 10}, nullptr, 1, 2, 2, 5, {10, 20, 31, 42, 53},
          {11, 11, 11, 10, 10}, {6, 15}, 0);
  // same, K=4, s=2: Tout=3, total pad 3, p=1; taps 2t-1 .. 2t+2
  hand_1d("same K=4 s=2", x5, {1, 10, 100, 1000}, nullptr, 2, 1, 1, 3, {3210, 5432, 54},
          {10, 101, 1010, 101, 1010}, {6, 9, 6, 8}, 0);
  // valid, K=3, s=2, T=6: Tout=2, taps 2t .. 2t+2
  hand_1d("valid K=3 s=2", {1, 2, 3, 4, 5, 6}, {1, 10, 100}, nullptr, 2, 1, 0, 2, {321, 543},
          {1, 10, 101, 10, 100, 0}, {4, 6, 8}, 0);

  // K=1, B=2, T=2, Cin=2, Cout=3: y = [x0 + 2 x1, x1, -x0] + [0.5, -1, 2]
  const Vec x = {1, 2, 3, 4, 5, 6, 7, 8}, W = {1, 0, -1, 2, 1, 0}, b = {0.5f, -1, 2};
  for (int act : {TS_ACT_LINEAR, TS_ACT_RELU}) {
    const std::string name = std::string("hand K=1 ") + act_name(act);
    Vec y(12, -1.0f);
    int st = ts_cpu_conv1d(x.data(), W.data(), b.data(), y.data(), 2, 2, 2, 3, 1, 1, 1, 0, 2, act);
    report(st == TS_OK, name + " forward status", std::to_string(st));
    const bool relu = act == TS_ACT_RELU;
    expect_exact(name + " y", y,
                 {5.5f, 1, 1, 11.5f, 3, relu ? 0.0f : -1, 17.5f, 5, relu ? 0.0f : -3, 23.5f, 7,
                  relu ? 0.0f : -5});
    const Vec dy(12, 1.0f);
    Vec dx(8, 0.0f), dW(6, 0.0f), db(3, 0.0f);
    st = ts_cpu_conv1d_grad(x.data(), W.data(), y.data(), dy.data(), dx.data(), dW.data(),
                            db.data(), 2, 2, 2, 3, 1, 1, 1, 0, 2, act);
    report(st == TS_OK, name + " backward status", std::to_string(st));
    if (!relu) {
      expect_exact(name + " dx", dx, {0, 3, 0, 3, 0, 3, 0, 3});
      expect_exact(name + " dW", dW, {16, 16, 16, 20, 20, 20});
      expect_exact(name + " db", db, {4, 4, 4});
    } else {
      expect_exact(name + " dx", dx, {0, 3, 1, 3, 1, 3, 1, 3});
      expect_exact(name + " dW", dW, {16, 16, 1, 20, 20, 2});
      expect_exact(name + " db", db, {4, 4, 1});
    }
  }
}

// ---- (b), (c) random shapes
// ----------------------------------------------------------------------
void random_cases() {
  const int chans[] = {1, 3, 20};
  const int dils[] = {1, 2, 4, 8};
  const int acts[] = {TS_ACT_LINEAR, TS_ACT_TANH, TS_ACT_SIGMOID, TS_ACT_RELU};
  std::uniform_int_distribution<int> pick3(0, 2), pick4(0, 3), pickK(1, 4), pickS(1, 3),
      pickB(1, 3), pickT(1, 37), coin(0, 1);
  int ran = 0;
  for (int iter = 0; iter < 400; ++iter) {
    Shape c{};
    c.B = iter % 5 == 0 ? 1 : pickB(g_rng);
    c.T = pickT(g_rng) | (iter % 3 == 0 ? 1 : 0);  // plenty of odd lengths
    c.Cin = chans[pick3(g_rng)];
    c.Cout = chans[pick3(g_rng)];
    c.K = pickK(g_rng);
    c.s = pickS(g_rng);
    c.d = dils[pick4(g_rng)];
    c.act = acts[iter % 4];
    c.bias = coin(g_rng);
    c.want_dx = coin(g_rng);
    if (!set_mode(c, iter / 4 % 4)) continue;
    check_random(c, iter % 7 == 0 ? 0.25f : 0.0f);
    ++ran;
  }
  // Shapes chosen to reach the other paths: the direct K=1 path (Tout == T, and B=1 with
  // Tout < T), channel counts that are multiples of the GEMM tile (y written in place), more
  // rows than one chunk, a T shorter than the causal receptive field.
  const Shape fixed[] = {
      {3, 17, 3, 5, 1, 1, 1, 0, 17, TS_ACT_TANH, true, true},
      {1, 17, 3, 5, 1, 1, 1, 0, 9, TS_ACT_LINEAR, true, true},
      {2, 9, 20, 32, 1, 1, 1, 0, 9, TS_ACT_RELU, true, true},
      {2, 11, 32, 64, 2, 1, 2, 2, 11, TS_ACT_SIGMOID, false, true},
      {1, 3, 3, 3, 4, 1, 8, 24, 3, TS_ACT_TANH, true, true},
      {3, 1201, 20, 20, 2, 1, 8, 8, 1201, TS_ACT_TANH, true, true},
      {2, 2001, 7, 33, 3, 2, 4, 8, 1001, TS_ACT_LINEAR, true, false},
      {1, 5000, 1, 1, 1, 1, 1, 0, 5000, TS_ACT_RELU, true, true},
      {5, 700, 20, 20, 1, 1, 1, 0, 700, TS_ACT_SIGMOID, false, true},
  };
  for (const Shape& c : fixed) {
    check_random(c, 0.25f);
    ++ran;
  }
  std::printf("random shapes run: %d\n", ran);
}

// ---- (c) accumulation twice: two backward calls give base + 2 * gradient
// ---------------------------
void accumulation_twice() {
  Shape c{2, 13, 3, 20, 3, 2, 2, 0, 0, TS_ACT_TANH, true, true};
  set_mode(c, 1);
  const Vec x = random_vec(static_cast<size_t>(c.B) * c.T * c.Cin, 1.0f);
  const Vec W = random_vec(static_cast<size_t>(c.K) * c.Cin * c.Cout, 0.5f);
  const Vec b = random_vec(c.Cout, 0.5f);
  Vec y;
  run_forward(c, x, W, &b, y);
  const Vec dy = random_vec(y.size(), 1.0f);
  Vec dx(x.size(), 0.25f), dW(W.size(), 0.25f), db(c.Cout, 0.25f);
  for (int rep = 0; rep < 2; ++rep)
    ts_cpu_conv1d_grad(x.data(), W.data(), y.data(), dy.data(), dx.data(), dW.data(), db.data(),
                       c.B, c.T, c.Cin, c.Cout, c.K, c.s, c.d, c.p, c.Tout, c.act);
  RefGrads g = ref_backward(c, x, W, y, dy);
  for (auto* v : {&g.dx, &g.dW, &g.db})
    for (double& e : *v) e *= 2.0;
  check_close("accumulate twice dx", dx, g.dx, 0.25f);
  check_close("accumulate twice dW", dW, g.dW, 0.25f);
  check_close("accumulate twice db", db, g.db, 0.25f);
  // batch 0: success, nothing touched
  Vec dW0(W.size(), 0.5f);
  const int st =
      ts_cpu_conv1d_grad(nullptr, W.data(), nullptr, nullptr, nullptr, dW0.data(), nullptr, 0, c.T,
                         c.Cin, c.Cout, c.K, c.s, c.d, c.p, c.Tout, c.act);
  const int st2 = ts_cpu_conv1d(nullptr, W.data(), nullptr, nullptr, 0, c.T, c.Cin, c.Cout, c.K,
                                c.s, c.d, c.p, c.Tout, c.act);
  report(st == TS_OK && st2 == TS_OK && dW0 == Vec(W.size(), 0.5f), "batch 0 is a no-op", "");
}

// ---- (d) argument checks
// ----------------------------------------------------------------------------
void expect_invalid(const std::string& what, int st) {
  const char* msg = ts_cpu_last_error();
  const bool ok = st == TS_ERR_INVALID_ARGUMENT && msg && std::strstr(msg, "conv1d") != nullptr;
  report(ok, "error " + what,
         std::string("status ") + std::to_string(st) + ": " + (msg ? msg : "(null)"));
}

void error_cases() {
  const Vec x(2 * 5 * 3, 1.0f), W(2 * 3 * 4, 1.0f), b(4, 0.0f), dy(2 * 4 * 4, 1.0f);
  Vec y(2 * 4 * 4), dx(x.size()), dW(W.size()), db(4);
  auto fwd = [&](const float* xp, int K, int s, int d, int p, int Tout, int act, const float* wp) {
    return ts_cpu_conv1d(xp, wp, b.data(), y.data(), 2, 5, 3, 4, K, s, d, p, Tout, act);
  };
  auto bwd = [&](const float* xp, int K, int s, float* dWp) {
    return ts_cpu_conv1d_grad(xp, W.data(), y.data(), dy.data(), dx.data(), dWp, db.data(), 2, 5, 3,
                              4, K, s, 1, 0, 4, TS_ACT_LINEAR);
  };
  expect_invalid("forward null x", fwd(nullptr, 2, 1, 1, 0, 4, TS_ACT_LINEAR, W.data()));
  expect_invalid("forward null kernel", fwd(x.data(), 2, 1, 1, 0, 4, TS_ACT_LINEAR, nullptr));
  expect_invalid("forward kernel_size 0", fwd(x.data(), 0, 1, 1, 0, 4, TS_ACT_LINEAR, W.data()));
  expect_invalid("forward stride 0", fwd(x.data(), 2, 0, 1, 0, 4, TS_ACT_LINEAR, W.data()));
  expect_invalid("forward dilation 0", fwd(x.data(), 2, 1, 0, 0, 4, TS_ACT_LINEAR, W.data()));
  expect_invalid("forward pad -1", fwd(x.data(), 2, 1, 1, -1, 4, TS_ACT_LINEAR, W.data()));
  expect_invalid("forward out_steps 0", fwd(x.data(), 2, 1, 1, 0, 0, TS_ACT_LINEAR, W.data()));
  expect_invalid("forward activation 9", fwd(x.data(), 2, 1, 1, 0, 4, 9, W.data()));
  expect_invalid("backward null x", bwd(nullptr, 2, 1, dW.data()));
  expect_invalid("backward kernel_size 0", bwd(x.data(), 0, 1, dW.data()));
  expect_invalid("backward stride 0", bwd(x.data(), 2, 0, dW.data()));
  expect_invalid("backward null dkernel", bwd(x.data(), 2, 1, nullptr));
  expect_invalid("forward batch -1", ts_cpu_conv1d(x.data(), W.data(), b.data(), y.data(), -1, 5, 3,
                                                   4, 2, 1, 1, 0, 4, TS_ACT_LINEAR));
}

// ---- (e) timings
// --------------------------------------------------------------------------------------
template <class F>
double median_ms(F f, int reps) {
  std::vector<double> t;
  f();  // warm-up
  for (int i = 0; i < reps; ++i) {
    const auto a = std::chrono::steady_clock::now();
    f();
    const auto b = std::chrono::steady_clock::now();
    t.push_back(std::chrono::duration<double, std::milli>(b - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void timings() {
  {
    Shape c{32, 50, 20, 20, 2, 1, 1, 0, 0, TS_ACT_TANH, true, true};
    set_mode(c, 2);
    const Vec x = random_vec(static_cast<size_t>(c.B) * c.T * c.Cin, 1.0f);
    const Vec W = random_vec(static_cast<size_t>(c.K) * c.Cin * c.Cout, 0.5f),
              b = random_vec(c.Cout, 0.5f);
    Vec y(static_cast<size_t>(c.B) * c.Tout * c.Cout);
    const Vec dy = random_vec(y.size(), 1.0f);
    Vec dx(x.size()), dW(W.size()), db(c.Cout);
    const double f = median_ms(
        [&] {
          ts_cpu_conv1d(x.data(), W.data(), b.data(), y.data(), c.B, c.T, c.Cin, c.Cout, c.K, c.s,
                        c.d, c.p, c.Tout, c.act);
        },
        21);
    const double g = median_ms(
        [&] {
          ts_cpu_conv1d_grad(x.data(), W.data(), y.data(), dy.data(), dx.data(), dW.data(),
                             db.data(), c.B, c.T, c.Cin, c.Cout, c.K, c.s, c.d, c.p, c.Tout, c.act);
        },
        21);
    std::printf(
        "TIME  WaveNet layer B=32 T=50 Cin=Cout=20 K=2 causal tanh: forward %.3f ms, backward %.3f "
        "ms, "
        "total %.3f ms (median of 21)\n",
        f, g, f + g);
  }
  {
    Shape c{1, 16000, 20, 20, 2, 1, 8, 0, 0, TS_ACT_LINEAR, true, true};
    set_mode(c, 2);
    const Vec x = random_vec(static_cast<size_t>(c.T) * c.Cin, 1.0f);
    const Vec W = random_vec(static_cast<size_t>(c.K) * c.Cin * c.Cout, 0.5f),
              b = random_vec(c.Cout, 0.5f);
    Vec y(static_cast<size_t>(c.Tout) * c.Cout);
    for (int act : {TS_ACT_LINEAR, TS_ACT_TANH}) {
      const double f = median_ms(
          [&] {
            ts_cpu_conv1d(x.data(), W.data(), b.data(), y.data(), c.B, c.T, c.Cin, c.Cout, c.K, c.s,
                          c.d, c.p, c.Tout, act);
          },
          11);
      std::printf(
          "TIME  inference B=1 T=16000 Cin=Cout=20 K=2 d=8 causal %s: forward %.3f ms (median of "
          "11)\n",
          act_name(act), f);
    }
  }
}

}  // namespace

int main() {
  hand_cases();
  random_cases();
  accumulation_twice();
  error_cases();
  timings();
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
