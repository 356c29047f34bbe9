package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * AdamW, Keras' defaults (lr 1e-3, weight decay 0.004, β1 0.9, β2 0.999, ε 1e-7, no AMSGrad):
 * {@link Adam} with decoupled weight decay. Before each Adam update, as Keras does after clipping,
 * every parameter shrinks by {@code p -= lr·weightDecay·p} (lr the learning rate, not the
 * bias-corrected one); every parameter is decayed, biases included, as in Keras when no variable is
 * excluded. The decay and the update are one fused backend call over the arena.
 *
 * <pre>{@code
 * model.compile(Loss.mse(), new AdamW(1e-3, 0.01));
 * }</pre>
 */
public final class AdamW extends ArenaOptimizer<AdamW> {
  private final double weightDecay;
  private final AdamSettings settings;

  /** Keras defaults. */
  public AdamW() {
    this(1e-3);
  }

  public AdamW(double learningRate) {
    this(learningRate, 0.004);
  }

  public AdamW(double learningRate, double weightDecay) {
    this(learningRate, weightDecay, 0.9, 0.999, 1e-7, false);
  }

  /**
   * Keras' {@code AdamW(learning_rate, weight_decay, beta_1, beta_2, epsilon, amsgrad)}.
   *
   * @throws IllegalArgumentException for a learning rate not finite and > 0, a weight decay not
   *     finite and >= 0, a β outside [0, 1), ε not finite and > 0, or a learning rate × weight
   *     decay of 1 or more (every step would zero or flip the weights)
   */
  public AdamW(
      double learningRate,
      double weightDecay,
      double beta1,
      double beta2,
      double epsilon,
      boolean amsgrad) {
    super("AdamW", learningRate);
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException(
          "AdamW: weight decay must be finite and >= 0, got " + weightDecay);
    }
    this.weightDecay = weightDecay;
    this.settings = new AdamSettings("AdamW", beta1, beta2, epsilon, amsgrad);
    requireDecayBelowOne(learningRate);
  }

  @Override
  public void setLearningRate(double learningRate) {
    requireDecayBelowOne(learningRate);
    super.setLearningRate(learningRate);
  }

  private void requireDecayBelowOne(double learningRate) {
    if (learningRate * weightDecay >= 1) {
      throw new IllegalArgumentException(
          "AdamW: learning rate × weight decay must be < 1 (each step scales the weights by 1 -"
              + " their product), got "
              + learningRate
              + " × "
              + weightDecay);
    }
  }

  public double weightDecay() {
    return weightDecay;
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

  @Override
  void update(Backend backend, ParameterStore store, List<Tensor> slots, long iteration) {
    double lr = learningRate();
    settings.update(backend, store, slots, iteration, lr, lr * weightDecay);
  }

  @Override
  String settings() {
    String more = settings.describe();
    return "weight_decay=" + weightDecay + (more.isEmpty() ? "" : ", " + more);
  }
}
