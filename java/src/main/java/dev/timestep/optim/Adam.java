package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * Adam with Keras' defaults (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7) and Keras' update form: {@code lr_t
 * = lr·sqrt(1-β2^t)/(1-β1^t)}, {@code p -= lr_t·m/(sqrt(v)+ε)}. One fused backend call updates
 * every parameter of the model's arena.
 *
 * <p>Optional gradient clipping, as Keras' {@code clipnorm} / {@code clipvalue} (one of them):
 * {@code new Adam(1e-3).clipNorm(1.0)} rescales each parameter tensor's gradient (each kernel and
 * bias on its own, not the global norm) to an L2 norm of at most 1.0; {@code new
 * Adam(1e-3).clipValue(0.5)} clamps every gradient element to [-0.5, 0.5]. Clipping costs one host
 * round trip of the gradients per step, and is not stored in model files: set it again on a loaded
 * model's optimizer.
 */
public final class Adam implements Optimizer {
  private static final String SHARED =
      "this Adam optimizer already optimizes another model; each model needs its own optimizer";
  private double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private GradientClipping.Mode clipMode = GradientClipping.Mode.NONE;
  private double clipLimit = Double.NaN;
  private final Scope scope = new Scope();
  private Tensor m;
  private Tensor v;
  private ParameterStore boundTo;
  private long t;
  private boolean closed;

  /** Keras defaults. */
  public Adam() {
    this(1e-3);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    requireLearningRate(learningRate);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "Adam: beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      // 0 would divide 0 by 0 for any weight whose gradient is exactly 0 so far (NaN weights)
      throw new IllegalArgumentException("Adam: epsilon must be finite and > 0, got " + epsilon);
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /**
   * Keras' {@code clipnorm}: before each update, every parameter tensor's gradient whose L2 norm
   * exceeds {@code maxNorm} is scaled down to that norm (per tensor, as Keras does).
   *
   * @throws IllegalArgumentException when maxNorm is not finite and > 0
   * @throws IllegalStateException when clipValue was already set (Keras allows only one)
   */
  public Adam clipNorm(double maxNorm) {
    setClipping(GradientClipping.Mode.NORM, "clipNorm", maxNorm);
    return this;
  }

  /**
   * Keras' {@code clipvalue}: before each update, every gradient element is clamped to {@code
   * [-maxValue, maxValue]}.
   *
   * @throws IllegalArgumentException when maxValue is not finite and > 0
   * @throws IllegalStateException when clipNorm was already set (Keras allows only one)
   */
  public Adam clipValue(double maxValue) {
    setClipping(GradientClipping.Mode.VALUE, "clipValue", maxValue);
    return this;
  }

  private void setClipping(GradientClipping.Mode mode, String name, double limit) {
    if (!(limit > 0) || !Double.isFinite(limit)) {
      throw new IllegalArgumentException("Adam." + name + " must be finite and > 0, got " + limit);
    }
    if (clipMode != GradientClipping.Mode.NONE && clipMode != mode) {
      throw new IllegalStateException(
          "Adam."
              + name
              + ": this optimizer already clips by "
              + (clipMode == GradientClipping.Mode.NORM ? "norm (clipNorm " : "value (clipValue ")
              + clipLimit
              + "); use only one of clipNorm and clipValue, as Keras");
    }
    clipMode = mode;
    clipLimit = limit;
  }

  /** The clipNorm limit, or NaN when gradients are not clipped by norm. */
  public double clipNorm() {
    return clipMode == GradientClipping.Mode.NORM ? clipLimit : Double.NaN;
  }

  /** The clipValue limit, or NaN when gradients are not clipped by value. */
  public double clipValue() {
    return clipMode == GradientClipping.Mode.VALUE ? clipLimit : Double.NaN;
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(double learningRate) {
    requireLearningRate(learningRate);
    this.learningRate = learningRate;
  }

  private static void requireLearningRate(double learningRate) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "Adam: learning rate must be finite and > 0, got " + learningRate);
    }
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double epsilon() {
    return epsilon;
  }

  /**
   * A heap copy of the first-moment estimates (aligned with the parameter arena), or null before
   * the first step.
   */
  public NDArray firstMoment() {
    return m == null ? null : boundTo.backend().download(m);
  }

  /** A heap copy of the second-moment estimates, or null before the first step. */
  public NDArray secondMoment() {
    return v == null ? null : boundTo.backend().download(v);
  }

  /**
   * Puts this optimizer in the state another one had after {@code iterations} steps on a model with
   * the same parameters (a loaded model file): binds it to {@code store} and uploads the moments,
   * so the next {@link #step} makes exactly the update the other would have made. With {@code
   * iterations} 0 the moments must be null (no step was taken).
   */
  public void restore(
      ParameterStore store, long iterations, NDArray firstMoment, NDArray secondMoment) {
    requireOpen();
    if (store == null || !store.isAllocated()) {
      throw new IllegalArgumentException(
          "Adam.restore: the parameter store must be allocated (build the model first)");
    }
    if (boundTo != null && boundTo != store) {
      throw new IllegalStateException(SHARED);
    }
    if (iterations < 0) {
      throw new IllegalArgumentException(
          "Adam.restore: iterations must be >= 0, got " + iterations);
    }
    if (iterations == 0) {
      if (firstMoment != null || secondMoment != null) {
        throw new IllegalArgumentException(
            "Adam.restore: moments were given for 0 iterations; pass null");
      }
      if (m != null) {
        store.backend().fill(m, 0f);
        store.backend().fill(v, 0f);
      }
      t = 0;
      return;
    }
    Shape arena = store.values().shape();
    for (NDArray moment : new NDArray[] {firstMoment, secondMoment}) {
      if (moment == null || !moment.shape().equals(arena)) {
        throw new IllegalArgumentException(
            "Adam.restore: each moment must have the parameter arena's shape "
                + arena
                + ", got "
                + (moment == null ? "null" : moment.shape()));
      }
    }
    Backend backend = store.backend();
    if (m == null) {
      m = backend.allocate(arena, scope);
      v = backend.allocate(arena, scope);
      boundTo = store;
    }
    backend.upload(firstMoment, m);
    backend.upload(secondMoment, v);
    t = iterations;
  }

  @Override
  public void step(ParameterStore store) {
    requireOpen();
    if (store == null || !store.isAllocated()) {
      throw new IllegalArgumentException(
          "Adam.step: the parameter store must be allocated (build the model first)");
    }
    Backend backend = store.backend();
    if (boundTo == null) {
      m = backend.allocate(store.values().shape(), scope);
      v = backend.allocate(store.values().shape(), scope);
      boundTo = store;
    } else if (boundTo != store) {
      throw new IllegalStateException(SHARED);
    }
    GradientClipping.apply(store, clipMode, clipLimit);
    t++;
    double lrT = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    backend.adam(
        store.values(),
        store.grads(),
        m,
        v,
        (float) lrT,
        (float) beta1,
        (float) beta2,
        (float) epsilon);
  }

  @Override
  public long iterations() {
    return t;
  }

  /** The first and second moment estimates, or none before the first step. */
  @Override
  public List<Tensor> state() {
    return m == null ? List.of() : List.of(m, v);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "this Adam optimizer was closed (the model it was compiled into was closed, or"
              + " compiled with another optimizer), so its state is freed; create a new Adam for each model");
    }
  }

  /** Frees the moments; the optimizer cannot be used afterwards. Closing again does nothing. */
  @Override
  public void close() {
    closed = true;
    scope.close();
    m = null;
    v = null;
    boundTo = null;
  }

  @Override
  public String toString() {
    return "Adam(lr="
        + learningRate
        + switch (clipMode) {
          case NONE -> "";
          case NORM -> ", clipnorm=" + clipLimit;
          case VALUE -> ", clipvalue=" + clipLimit;
        }
        + ")";
  }
}
