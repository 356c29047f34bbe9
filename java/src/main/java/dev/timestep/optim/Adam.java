package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * Adam with Keras' defaults (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7) and Keras' update form:
 * {@code lr_t = lr·sqrt(1-β2^t)/(1-β1^t)}, {@code p -= lr_t·m/(sqrt(v)+ε)}.
 * One fused backend call updates every parameter of the model's arena.
 */
public final class Adam implements Optimizer {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final Scope scope = new Scope();
  private Tensor m;
  private Tensor v;
  private ParameterStore boundTo;
  private long t;

  /** Keras defaults. */
  public Adam() {
    this(1e-3);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7);
  }

  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("Adam: learning rate must be finite and > 0, got " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam: beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("Adam: epsilon must be finite and >= 0, got " + epsilon);
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  public double learningRate() {
    return learningRate;
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

  /** A heap copy of the first-moment estimates (aligned with the parameter arena), or null before the first step. */
  public NDArray firstMoment() {
    return m == null ? null : boundTo.backend().download(m);
  }

  /** A heap copy of the second-moment estimates, or null before the first step. */
  public NDArray secondMoment() {
    return v == null ? null : boundTo.backend().download(v);
  }

  /**
   * Puts this optimizer in the state another one had after {@code iterations} steps on a model
   * with the same parameters (a loaded model file): binds it to {@code store} and uploads the
   * moments, so the next {@link #step} makes exactly the update the other would have made.
   * With {@code iterations} 0 the moments must be null (no step was taken).
   */
  public void restore(ParameterStore store, long iterations, NDArray firstMoment, NDArray secondMoment) {
    if (store == null || !store.isAllocated()) {
      throw new IllegalArgumentException("Adam.restore: the parameter store must be allocated (build the model first)");
    }
    if (boundTo != null && boundTo != store) {
      throw new IllegalStateException("this Adam instance already optimizes another model; use one per model");
    }
    if (iterations < 0) {
      throw new IllegalArgumentException("Adam.restore: iterations must be >= 0, got " + iterations);
    }
    if (iterations == 0) {
      if (firstMoment != null || secondMoment != null) {
        throw new IllegalArgumentException("Adam.restore: moments were given for 0 iterations; pass null");
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
        throw new IllegalArgumentException("Adam.restore: each moment must have the parameter arena's shape " + arena
            + ", got " + (moment == null ? "null" : moment.shape()));
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
    Backend backend = store.backend();
    if (boundTo == null) {
      m = backend.allocate(store.values().shape(), scope);
      v = backend.allocate(store.values().shape(), scope);
      boundTo = store;
    } else if (boundTo != store) {
      throw new IllegalStateException("this Adam instance already optimizes another model; use one per model");
    }
    t++;
    double lrT = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    backend.adam(store.values(), store.grads(), m, v, (float) lrT, (float) beta1, (float) beta2, (float) epsilon);
  }

  @Override
  public long iterations() {
    return t;
  }

  @Override
  public void close() {
    scope.close();
    m = null;
    v = null;
    boundTo = null;
  }

  @Override
  public String toString() {
    return "Adam(lr=" + learningRate + ")";
  }
}
