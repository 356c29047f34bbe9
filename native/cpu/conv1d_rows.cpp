// The elementwise ends of the 1-D convolution, shared by its two paths (conv1d.h): the
// activation after the products, and the activation's slope before the gradients.
// tanh and sigmoid use FastMath so the loops vectorize.
#include <cstring>

#include "conv1d.h"
#include "fast_math.h"
#include "simd.h"
#include "timestep/math.h"
#include "timestep/status.h"

namespace timestep::cpu::conv1d {
namespace {

template <int Act>
TS_INLINE float activate_fast(float z) {
  if constexpr (Act == TS_ACT_TANH) return FastMath::tanh(z);
  if constexpr (Act == TS_ACT_SIGMOID) return FastMath::sigmoid(z);
  return activate(Act, z);
}

// activation_slope, with relu's 1 or 0 as a bitwise blend: as a ?: the AVX2 build ran the
// loop one element at a time, with a branch each (under -ftrapping-math the vectorizer does not
// if-convert it, and AVX2 has no masks), and a WaveNet training step's slopes took a third of it.
template <int Act>
TS_INLINE float slope_fast(float y) {
  if constexpr (Act == TS_ACT_RELU) return FastMath::pick(y > 0.0f, 1.0f, 0.0f);
  return activation_slope(Act, y);
}

// One flat loop over every element (padding lanes included): rows of 20 or 24 floats are
// too short for the vectorizer to pay, n * ldz of them are not.
template <int Act>
TS_SIMD_CLONES void activate_in_place(float* z, size_t count) {
  for (size_t i = 0; i < count; ++i) z[i] = activate_fast<Act>(z[i]);
}

template <int Act>
TS_SIMD_CLONES void slope_rows(const float* __restrict y, const float* __restrict dy,
                               float* __restrict dz, int ldz, int n, int cout) {
  for (int r = 0; r < n; ++r) {
    const float* yr = y + static_cast<size_t>(r) * cout;
    const float* dyr = dy + static_cast<size_t>(r) * cout;
    float* dzr = dz + static_cast<size_t>(r) * ldz;
    for (int j = 0; j < cout; ++j) dzr[j] = dyr[j] * slope_fast<Act>(yr[j]);
    for (int j = cout; j < ldz; ++j) dzr[j] = 0.0f;
  }
}

}  // namespace

void activate_rows(int act, float* z, int ldz, float* y, int n, int cout) {
  const size_t count = static_cast<size_t>(n) * ldz;
  switch (act) {
    case TS_ACT_TANH: activate_in_place<TS_ACT_TANH>(z, count); break;
    case TS_ACT_SIGMOID: activate_in_place<TS_ACT_SIGMOID>(z, count); break;
    case TS_ACT_RELU: activate_in_place<TS_ACT_RELU>(z, count); break;
    default: break;
  }
  if (z == y) return;
  for (int r = 0; r < n; ++r)
    std::memcpy(y + static_cast<size_t>(r) * cout, z + static_cast<size_t>(r) * ldz,
                sizeof(float) * cout);
}

void slope_rows(int act, const float* y, const float* dy, float* dz, int ldz, int n, int cout) {
  switch (act) {
    case TS_ACT_TANH: slope_rows<TS_ACT_TANH>(y, dy, dz, ldz, n, cout); break;
    case TS_ACT_SIGMOID: slope_rows<TS_ACT_SIGMOID>(y, dy, dz, ldz, n, cout); break;
    case TS_ACT_RELU: slope_rows<TS_ACT_RELU>(y, dy, dz, ldz, n, cout); break;
    default: slope_rows<TS_ACT_LINEAR>(y, dy, dz, ldz, n, cout); break;
  }
}

}  // namespace timestep::cpu::conv1d
