package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * Gradient descent with optional (Nesterov) momentum, Keras' defaults (lr 0.01, momentum 0, no
 * Nesterov) and update: without momentum {@code p -= lr·g}; with it {@code velocity =
 * momentum·velocity - lr·g}, then {@code p += velocity}, or with Nesterov {@code p +=
 * momentum·velocity - lr·g}. As in Keras, the "velocity" slot exists only when momentum is not 0.
 * One fused backend call per step. Clipping: see {@link ArenaOptimizer}.
 *
 * <pre>{@code
 * model.compile(Loss.mse(), new SGD(0.01, 0.9, true)); // Nesterov momentum
 * }</pre>
 */
public final class SGD extends ArenaOptimizer<SGD> {
  private final double momentum;
  private final boolean nesterov;

  /** Keras defaults. */
  public SGD() {
    this(0.01);
  }

  public SGD(double learningRate) {
    this(learningRate, 0);
  }

  public SGD(double learningRate, double momentum) {
    this(learningRate, momentum, false);
  }

  /**
   * Keras' {@code SGD(learning_rate, momentum, nesterov)}.
   *
   * @throws IllegalArgumentException for a learning rate not finite and > 0, or a momentum outside
   *     [0, 1] (Keras' range)
   */
  public SGD(double learningRate, double momentum, boolean nesterov) {
    super("SGD", learningRate);
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("SGD: momentum must be in [0, 1], got " + momentum);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  /** "velocity" with momentum, none without. */
  @Override
  public List<String> slotNames() {
    return (float) momentum == 0 ? List.of() : List.of("velocity"); // the kernel sees the float
  }

  @Override
  void update(Backend backend, ParameterStore store, List<Tensor> slots, long iteration) {
    backend.sgd(
        store.values(),
        store.grads(),
        slots.isEmpty() ? null : slots.get(0),
        (float) learningRate(),
        (float) momentum,
        nesterov);
  }

  @Override
  String settings() {
    return "momentum=" + momentum + (nesterov ? ", nesterov=true" : "");
  }
}
