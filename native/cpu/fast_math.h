// Branch-free tanh and sigmoid for the CPU kernels' elementwise loops (private header).
// glibc's scalar tanhf/expf keep gcc from vectorizing a loop and were over half of the time
// of the recurrent cells at H = 20; these inline, so the loops around them vectorize.
#ifndef TIMESTEP_CPU_FAST_MATH_H
#define TIMESTEP_CPU_FAST_MATH_H

#include <cstdint>
#include <cstring>

namespace timestep::cpu {

// Forced inlining for the small functions of the cell loops: a loop only vectorizes when
// everything it calls has been inlined into it.
#define TS_INLINE inline __attribute__((always_inline))
#define TS_INLINE_LAMBDA __attribute__((always_inline))

// tanh and sigmoid for the CPU cell loops (the M policy of cells.h): branch-free so that the
// loops calling them vectorize, and short, because a recurrent step at batch 1 is one chain of
// dependent instructions (gates, then tanh of the cell state, then the next step's product).
// tanh is a rational function fitted here (least squares reweighted toward minimax, on
// tanh(x) = x P(x^2) / Q(x^2) over |x| <= 9, P of degree 5, Q of 4): about 40 cycles of latency
// where an exp-based tanh took about 100. Measured in float32 against double: max error
// 3.2e-7, relative and absolute (about 5 ulp), over the whole line; beyond |x| = 9 float's
// tanh is +-1. sigmoid(x) = (1 + tanh(x/2)) / 2, exact to 1.7e-7 absolute (not relative: for
// x < -18 it is 0, where the true value is below 1.6e-8). NaN propagates. Both are checked by
// native/tests/fast_math_accuracy.cpp. Selections are bitwise blends: under gcc's default
// -ftrapping-math the vectorizer does not if-convert float ?: expressions.
struct FastMath {
  static TS_INLINE float pick(bool c, float a, float b) {
    int32_t ia, ib;
    std::memcpy(&ia, &a, sizeof ia);
    std::memcpy(&ib, &b, sizeof ib);
    const int32_t m = -static_cast<int32_t>(c);
    const int32_t r = (ia & m) | (ib & ~m);
    float f;
    std::memcpy(&f, &r, sizeof f);
    return f;
  }
  static TS_INLINE float tanh(float x) {
    x = pick(x > 9.0f, 9.0f, x);  // NaN compares false and stays NaN
    x = pick(x < -9.0f, -9.0f, x);
    const float t = x * x;
    float p = -1.2247213e-11f;
    p = p * t + 3.0643839e-08f;
    p = p * t + 2.8031860e-05f;
    p = p * t + 3.8695352e-03f;
    p = p * t + 1.3680878e-01f;
    p = p * t + 1.0f;
    float q = 1.2890733e-06f;
    q = q * t + 3.9407614e-04f;
    q = q * t + 2.7250256e-02f;
    q = q * t + 4.7014210e-01f;
    q = q * t + 1.0f;
    const float r = x * p / q;
    return pick(r > 1.0f, 1.0f, pick(r < -1.0f, -1.0f, r));
  }
  static TS_INLINE float sigmoid(float x) { return 0.5f * tanh(0.5f * x) + 0.5f; }
};

}  // namespace timestep::cpu

#endif
