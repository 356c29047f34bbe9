package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop, Keras' defaults (lr 1e-3, ρ 0.9, momentum 0, ε 1e-7, not centered) and update: {@code
 * velocity = ρ·velocity + (1-ρ)·g²}, {@code increment = lr·g / sqrt(velocity + ε)}, {@code p -=
 * increment}. Centered also keeps {@code averageGradient = ρ·averageGradient + (1-ρ)·g} and divides
 * by {@code sqrt(velocity - averageGradient² + ε)} (an estimate of the gradient's variance); with
 * momentum, {@code momentum_t = momentum·momentum_t + increment} and {@code p -= momentum_t}. As in
 * Keras, ε is inside the root and the "momentum" and "averageGradient" slots exist only when used.
 * One fused backend call per step. Clipping: see {@link ArenaOptimizer}.
 *
 * <pre>{@code
 * model.compile(Loss.mse(), new RMSprop(1e-3, 0.9, 0.5, 1e-7, true)); // centered, momentum 0.5
 * }</pre>
 */
public final class RMSprop extends ArenaOptimizer<RMSprop> {
  private final double rho;
  private final double momentum;
  private final double epsilon;
  private final boolean centered;
  private final List<String> slotNames;

  /** Keras defaults. */
  public RMSprop() {
    this(1e-3);
  }

  public RMSprop(double learningRate) {
    this(learningRate, 0.9, 0, 1e-7, false);
  }

  /**
   * Keras' {@code RMSprop(learning_rate, rho, momentum, epsilon, centered)}.
   *
   * @throws IllegalArgumentException for a learning rate not finite and > 0, ρ outside [0, 1),
   *     momentum outside [0, 1], or ε not finite and > 0
   */
  public RMSprop(
      double learningRate, double rho, double momentum, double epsilon, boolean centered) {
    super("RMSprop", learningRate);
    if (!(rho >= 0 && rho < 1)) {
      throw new IllegalArgumentException("RMSprop: rho must be in [0, 1), got " + rho);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("RMSprop: momentum must be in [0, 1], got " + momentum);
    }
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      // 0 would divide 0 by 0 for a weight whose gradient is exactly 0 so far (NaN weights)
      throw new IllegalArgumentException("RMSprop: epsilon must be finite and > 0, got " + epsilon);
    }
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
    List<String> names = new ArrayList<>(List.of("velocity"));
    if ((float) momentum != 0) { // the kernel sees the float
      names.add("momentum");
    }
    if (centered) {
      names.add("averageGradient");
    }
    this.slotNames = List.copyOf(names);
  }

  public double rho() {
    return rho;
  }

  public double momentum() {
    return momentum;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean centered() {
    return centered;
  }

  /** "velocity", then "momentum" when momentum is not 0, then "averageGradient" when centered. */
  @Override
  public List<String> slotNames() {
    return slotNames;
  }

  @Override
  void update(Backend backend, ParameterStore store, List<Tensor> slots, long iteration) {
    int next = 1;
    Tensor momentumBuf = slotNames.contains("momentum") ? slots.get(next++) : null;
    Tensor averageGrad = centered ? slots.get(next) : null;
    backend.rmsprop(
        store.values(),
        store.grads(),
        slots.get(0),
        averageGrad,
        momentumBuf,
        (float) learningRate(),
        (float) rho,
        (float) momentum,
        (float) epsilon);
  }

  @Override
  String settings() {
    return "rho="
        + rho
        + ", momentum="
        + momentum
        + ", epsilon="
        + epsilon
        + (centered ? ", centered=true" : "");
  }
}
