/* One optimizer update of one parameter, in Keras 3's formulas, written once for the CPU loops
 * and the CUDA kernels. Optional state (a slot Keras creates only for some settings) is passed as
 * a pointer to the element, NULL when absent. */
#ifndef TIMESTEP_COMMON_OPTIMIZERS_H
#define TIMESTEP_COMMON_OPTIMIZERS_H

#include "timestep/math.h"

namespace timestep {

/* max(a, b) that keeps a NaN from either side (fmaxf would drop it and hide divergence). */
TS_HD float max_keeping_nan(float a, float b) { return (b > a || b != b) ? b : a; }

/* Adam (Keras/TF form: lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t) carries the bias correction).
 * decay = lr * weight_decay is AdamW's decoupled decay, applied to p before the update; vhat is
 * AMSGrad's running maximum of v, used in place of v. */
TS_HD void adam_update(float& p, float g, float& m, float& v, float* vhat, float lr_t, float beta1,
                       float beta2, float eps, float decay) {
  if (decay != 0.0f) p -= decay * p;  // skipped at 0 so an infinite p is not turned into NaN
  m = beta1 * m + (1.0f - beta1) * g;
  v = beta2 * v + (1.0f - beta2) * g * g;
  float denominator_v = v;
  if (vhat) {
    *vhat = max_keeping_nan(*vhat, v);
    denominator_v = *vhat;
  }
  p -= lr_t * m / (sqrtf(denominator_v) + eps);
}

/* SGD: without a velocity p -= lr g; with one, velocity = momentum velocity - lr g and p moves by
 * it (Nesterov: by momentum velocity - lr g). */
TS_HD void sgd_update(float& p, float g, float* velocity, float lr, float momentum, int nesterov) {
  if (!velocity) {
    p -= lr * g;
    return;
  }
  const float u = momentum * *velocity - lr * g;
  *velocity = u;
  p += nesterov ? momentum * u - lr * g : u;
}

/* RMSprop: velocity = rho velocity + (1 - rho) g^2; centered subtracts the square of a running
 * mean of g (average_grad) inside the root; epsilon is added inside the root, as Keras does. With
 * momentum_buf the increment feeds a momentum: buf = momentum buf + increment, p -= buf. */
TS_HD void rmsprop_update(float& p, float g, float& velocity, float* average_grad,
                          float* momentum_buf, float lr, float rho, float momentum, float eps) {
  velocity = rho * velocity + (1.0f - rho) * g * g;
  float denominator = velocity + eps;
  if (average_grad) {
    const float a = rho * *average_grad + (1.0f - rho) * g;
    *average_grad = a;
    denominator = velocity - a * a + eps;
  }
  const float increment = lr * g / sqrtf(denominator);
  if (momentum_buf) {
    *momentum_buf = momentum * *momentum_buf + increment;
    p -= *momentum_buf;
  } else {
    p -= increment;
  }
}

}  // namespace timestep

#endif
