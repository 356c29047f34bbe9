// Accuracy of the CPU kernels' FastMath tanh and sigmoid (cpu/fast_math.h) against double
// precision libm, over the whole float line: the bounds its comment states, odd symmetry,
// saturation, and NaN/infinity handling; and the LSTM gate formula the CPU cells run on them
// (cells.h lstm_gate): its g block has tanh's relative accuracy, its other gates are exactly
// FastMath's sigmoid. Exit status 0 when every check holds.
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "fast_math.h"
#include "timestep/cells.h"

using timestep::cpu::FastMath;

namespace {

int failures = 0;

void check(bool ok, const char* what, double x, double got, double want) {
  if (ok) return;
  ++failures;
  if (failures <= 20) std::printf("FAIL %s at x=%.9g: got %.9g, want %.9g\n", what, x, got, want);
}

std::vector<float> test_points() {
  std::vector<float> xs;
  for (double x = -30.0; x <= 30.0; x += 1.0 / 4096)
    xs.push_back(static_cast<float>(x));         // dense over the range
  for (double x = 1e-30; x < 30.0; x *= 1.01) {  // every scale, both signs
    xs.push_back(static_cast<float>(x));
    xs.push_back(static_cast<float>(-x));
  }
  xs.push_back(0.0f);
  xs.push_back(-0.0f);
  xs.push_back(std::numeric_limits<float>::max());
  xs.push_back(-std::numeric_limits<float>::max());
  xs.push_back(std::numeric_limits<float>::denorm_min());
  return xs;
}

}  // namespace

int main() {
  constexpr double kTanhRelative = 4e-7;     // fast_math.h: 3.2e-7 measured
  constexpr double kSigmoidAbsolute = 2e-7;  // fast_math.h: 1.7e-7
  double worst_tanh = 0, worst_sigmoid = 0;
  for (float x : test_points()) {
    const double t = std::tanh(static_cast<double>(x));
    const float ft = FastMath::tanh(x);
    const double rel = t == 0.0 ? std::fabs(ft) : std::fabs(ft - t) / std::fabs(t);
    worst_tanh = std::fmax(worst_tanh, rel);
    check(rel <= kTanhRelative, "tanh relative error", x, ft, t);
    check(FastMath::tanh(-x) == -ft, "tanh odd symmetry", x, FastMath::tanh(-x), -ft);
    check(std::fabs(ft) <= 1.0f, "tanh within [-1, 1]", x, ft, t);

    const double s = 1.0 / (1.0 + std::exp(-static_cast<double>(x)));
    const float fs = FastMath::sigmoid(x);
    worst_sigmoid = std::fmax(worst_sigmoid, std::fabs(fs - s));
    check(std::fabs(fs - s) <= kSigmoidAbsolute, "sigmoid absolute error", x, fs, s);
    check(fs >= 0.0f && fs <= 1.0f, "sigmoid within [0, 1]", x, fs, s);

    const float g = timestep::lstm_gate<FastMath>(x, 1.0f);
    const double g_rel = t == 0.0 ? std::fabs(g) : std::fabs(g - t) / std::fabs(t);
    check(g_rel <= kTanhRelative, "LSTM g gate relative error", x, g, t);
    const float gate = timestep::lstm_gate<FastMath>(x, 0.5f);
    check(gate == fs || (std::isnan(gate) && std::isnan(fs)), "LSTM sigmoid gate is sigmoid", x,
          gate, fs);
  }
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  check(FastMath::tanh(inf) == 1.0f, "tanh(+inf)", inf, FastMath::tanh(inf), 1);
  check(FastMath::tanh(-inf) == -1.0f, "tanh(-inf)", -inf, FastMath::tanh(-inf), -1);
  check(FastMath::sigmoid(inf) == 1.0f, "sigmoid(+inf)", inf, FastMath::sigmoid(inf), 1);
  check(FastMath::sigmoid(-inf) == 0.0f, "sigmoid(-inf)", -inf, FastMath::sigmoid(-inf), 0);
  check(std::isnan(FastMath::tanh(nan)), "tanh(NaN) is NaN", nan, FastMath::tanh(nan), nan);
  check(std::isnan(FastMath::sigmoid(nan)), "sigmoid(NaN) is NaN", nan, FastMath::sigmoid(nan),
        nan);
  std::printf(
      "fast_math: worst tanh relative error %.3g (bound %.1g), worst sigmoid absolute error %.3g "
      "(bound %.1g)\n",
      worst_tanh, kTanhRelative, worst_sigmoid, kSigmoidAbsolute);
  if (failures) std::printf("%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
