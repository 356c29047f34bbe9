package dev.timestep.optim;

import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;

/**
 * Keras' {@code clipnorm} and {@code clipvalue}, applied to a model's summed gradients before the
 * optimizer's update:
 *
 * <ul>
 *   <li>by norm: each parameter tensor's gradient g (one kernel, one bias...) separately becomes
 *       {@code g · maxNorm / ‖g‖₂} when {@code ‖g‖₂ > maxNorm}, so its direction is kept;
 *   <li>by value: every element is clamped to {@code [-maxValue, maxValue]}.
 * </ul>
 *
 * The gradients make one round trip to the host (download, clip in double, upload), the same
 * arithmetic on every backend. NaN gradients stay NaN so divergence is still detected.
 */
final class GradientClipping {
  /** What to clip by; {@link #NONE} leaves gradients alone. */
  enum Mode {
    NONE,
    NORM,
    VALUE
  }

  private GradientClipping() {}

  /** Clips {@code store}'s gradients in place. */
  static void apply(ParameterStore store, Mode mode, double limit) {
    if (mode == Mode.NONE) {
      return;
    }
    Backend backend = store.backend();
    float[] g = backend.download(store.grads()).data();
    if (mode == Mode.VALUE) {
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) Math.max(-limit, Math.min(limit, g[i])); // Math.min/max keep NaN
      }
    } else {
      long base = store.grads().offset();
      for (Parameter p : store.parameters()) {
        int from = Math.toIntExact(p.grad().offset() - base);
        int to = Math.toIntExact(from + p.grad().size());
        clipByNorm(g, from, to, limit);
      }
    }
    backend.upload(new NDArray(store.grads().shape(), g), store.grads());
  }

  /** Scales g[from, to) down to norm {@code maxNorm} when its L2 norm is larger. */
  static void clipByNorm(float[] g, int from, int to, double maxNorm) {
    double squares = 0;
    for (int i = from; i < to; i++) {
      squares += (double) g[i] * g[i];
    }
    double norm = Math.sqrt(squares);
    if (norm > maxNorm) {
      double scale = maxNorm / norm; // an infinite norm gives 0, which turns Inf elements into NaN
      for (int i = from; i < to; i++) {
        g[i] = (float) (g[i] * scale);
      }
    }
  }
}
