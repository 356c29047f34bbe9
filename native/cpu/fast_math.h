// Branch-free tanh, sigmoid and exp for the CPU kernels' elementwise loops (private header).
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
// loops calling them vectorize. exp is Cephes' expf (x = n ln2 + r, |r| <= ln2/2, a degree-6
// polynomial, 2^n written into the exponent bits), tanh Cephes' tanhf (an odd polynomial for
// |x| < 0.625, else 1 - 2/(e^{2|x|} + 1)). Both within ~1 ulp of libm over [-100, 100]
// (max relative error 1.3e-7 for tanh, 1.4e-7 for sigmoid, measured against double);
// NaN propagates. Selections are bitwise blends: under gcc's default -ftrapping-math the
// vectorizer does not if-convert float ?: expressions.
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
  // e^x, x clamped to [-87, 88] so that 2^n stays a normal float.
  static TS_INLINE float exp(float x) {
    x = pick(x < -87.0f, -87.0f, x);
    x = pick(x > 88.0f, 88.0f, x);
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;  // round(x / ln2)
    float r = x - n * 0.693359375f;                                           // ln2, high part
    r = r - n * -2.12194440e-4f;                                              // ln2, low part
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
  }
  static TS_INLINE float sigmoid(float x) { return 1.0f / (1.0f + exp(-x)); }
  static TS_INLINE float tanh(float x) {
    const float ax = pick(x < 0.0f, -x, x);
    const float z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const float small = x + x * z * p;
    const float big = 1.0f - 2.0f / (exp(2.0f * pick(ax > 9.0f, 9.0f, ax)) + 1.0f);  // tanh(9) = 1 in float
    return pick(ax < 0.625f, small, pick(x < 0.0f, -big, big));
  }
};

}  // namespace timestep::cpu

#endif
