/* The elementwise losses (TS_LOSS_* in status.h), written once for the CPU loops and the CUDA
 * kernels: the value of one prediction p against its target y, and its two slopes. */
#ifndef TIMESTEP_COMMON_LOSSES_H
#define TIMESTEP_COMMON_LOSSES_H

#include "timestep/math.h"

namespace timestep {

TS_HD bool loss_kind_valid(int kind) {
  return kind >= TS_LOSS_ABSOLUTE && kind <= TS_LOSS_ABSOLUTE_PERCENTAGE;
}

/* log(cosh(d)) without overflow or cancellation: for |d| < 1 as log1p(2 sinh^2(d/2)) (exact near
 * 0, where log(cosh) would round cosh to 1), beyond as |d| + log1p(exp(-2|d|)) - log 2 (cosh
 * itself overflows float past |d| = 89). */
TS_HD float log_cosh(float d) {
  const float a = fabsf(d);
  if (a < 1.0f) {
    const float s = sinhf(0.5f * a);
    return log1pf(2.0f * s * s);
  }
  return a + log1pf(expf(-2.0f * a)) - 0.69314718055994531f;
}

TS_HD float sign_or_zero(float d) { return d > 0.0f ? 1.0f : (d < 0.0f ? -1.0f : 0.0f); }

TS_HD float loss_value(int kind, float p, float y, float a) {
  const float d = p - y;
  switch (kind) {
    case TS_LOSS_HUBER: {
      const float ad = fabsf(d);
      return ad <= a ? 0.5f * d * d : a * (ad - 0.5f * a);
    }
    case TS_LOSS_LOG_COSH: return log_cosh(d);
    case TS_LOSS_PINBALL: return d >= 0.0f ? (1.0f - a) * d : -a * d;
    case TS_LOSS_ABSOLUTE_PERCENTAGE: return 100.0f * fabsf(d) / fmaxf(fabsf(y), a);
    default: return fabsf(d);
  }
}

/* dp = d value / dp and dy = d value / dy. At the kinks the slope is the mean of the two one-sided
 * ones: 0 for |d| at d = 0 (as Keras' sign), 1/2 - a for the pinball loss, so a quantile of 1/2
 * stays exactly half the absolute error, slopes included. */
TS_HD void loss_slopes(int kind, float p, float y, float a, float& dp, float& dy) {
  const float d = p - y;
  switch (kind) {
    case TS_LOSS_HUBER: dp = fabsf(d) <= a ? d : a * sign_or_zero(d); break;
    case TS_LOSS_LOG_COSH: dp = tanhf(d); break;
    case TS_LOSS_PINBALL: dp = d > 0.0f ? 1.0f - a : (d < 0.0f ? -a : 0.5f - a); break;
    case TS_LOSS_ABSOLUTE_PERCENTAGE: {
      const float ay = fabsf(y);
      const float m = fmaxf(ay, a);
      dp = 100.0f * sign_or_zero(d) / m;
      // The denominator moves with y only above its floor a.
      dy = ay > a ? -dp - 100.0f * fabsf(d) * sign_or_zero(y) / (m * m) : -dp;
      return;
    }
    default: dp = sign_or_zero(d); break;
  }
  dy = -dp;  // every other kind is a function of p - y alone
}

}  // namespace timestep

#endif
