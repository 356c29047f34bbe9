package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with Keras' defaults (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7, no AMSGrad) and Keras' update form:
 * {@code lr_t = lr·sqrt(1-β2^t)/(1-β1^t)}, {@code m = β1·m + (1-β1)·g}, {@code v = β2·v +
 * (1-β2)·g²}, {@code p -= lr_t·m/(sqrt(v)+ε)}. With {@code amsgrad} (Keras' AMSGrad variant) the
 * running maximum {@code vhat = max(vhat, v)} takes v's place in the update. One fused backend call
 * updates every parameter of the model's arena. Clipping: see {@link ArenaOptimizer}.
 *
 * <pre>{@code
 * model.compile(Loss.mse(), new Adam(1e-3).clipNorm(1.0));
 * model.compile(Loss.mse(), new Adam(1e-3, 0.9, 0.999, 1e-7, true)); // amsgrad
 * }</pre>
 */
public final class Adam extends ArenaOptimizer<Adam> {
  private final AdamSettings settings;

  /** Keras defaults. */
  public Adam() {
    this(1e-3);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this(learningRate, beta1, beta2, epsilon, false);
  }

  /**
   * Keras' {@code Adam(learning_rate, beta_1, beta_2, epsilon, amsgrad)}.
   *
   * @throws IllegalArgumentException for a learning rate not finite and > 0, a β outside [0, 1), or
   *     ε not finite and > 0
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
    super("Adam", learningRate);
    this.settings = new AdamSettings("Adam", beta1, beta2, epsilon, amsgrad);
  }

  public double beta1() {
    return settings.beta1();
  }

  public double beta2() {
    return settings.beta2();
  }

  public double epsilon() {
    return settings.epsilon();
  }

  /** Whether the AMSGrad variant is used (a "vhat" slot). */
  public boolean amsgrad() {
    return settings.amsgrad();
  }

  /** "m", "v", and "vhat" with AMSGrad. */
  @Override
  public List<String> slotNames() {
    return settings.slotNames();
  }

  /**
   * A heap copy of the first-moment estimates (aligned with the parameter arena), or null before
   * the first step.
   */
  public NDArray firstMoment() {
    return slot("m");
  }

  /** A heap copy of the second-moment estimates, or null before the first step. */
  public NDArray secondMoment() {
    return slot("v");
  }

  /**
   * {@link #restore(ParameterStore, long, Map)} for plain Adam's two moments (both null with {@code
   * iterations} 0).
   */
  public void restore(
      ParameterStore store, long iterations, NDArray firstMoment, NDArray secondMoment) {
    if (iterations == 0 && firstMoment == null && secondMoment == null) {
      restore(store, iterations, Map.of());
      return;
    }
    if (iterations == 0) {
      throw new IllegalArgumentException(
          "Adam.restore: moments were given for 0 iterations; pass null");
    }
    if (amsgrad()) {
      throw new IllegalArgumentException(
          "Adam.restore: an AMSGrad Adam also needs its vhat slot; use restore(store, iterations,"
              + " Map.of(\"m\", m, \"v\", v, \"vhat\", vhat))");
    }
    Map<String, NDArray> values = new HashMap<>();
    values.put("m", firstMoment);
    values.put("v", secondMoment);
    restore(store, iterations, values);
  }

  @Override
  void update(Backend backend, ParameterStore store, List<Tensor> slots, long iteration) {
    settings.update(backend, store, slots, iteration, learningRate(), 0);
  }

  @Override
  String settings() {
    return settings.describe();
  }
}
