package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;

/**
 * What layer and batch normalization share: a scale γ (ones) and a shift β (zeros) per feature of
 * the last axis, and an output of the input's shape.
 */
abstract class ChannelNormalization implements Layer {
  private ParameterStore store;
  private int features = -1;
  private int gamma;
  private int beta;

  /** Declares any further state once γ and β exist (batch norm's moving averages). */
  protected void declareState(int features, ParameterStore store) {}

  @Override
  public final Shape build(Shape inputShape, ParameterStore store) {
    int n = inputShape.dim(-1);
    if (n < 1) {
      throw new IllegalArgumentException(name() + ": the last axis of " + inputShape + " is empty");
    }
    this.features = n;
    this.store = store;
    String prefix = name().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    gamma = store.declare(prefix + "/gamma", Shape.of(n), Initializer.constant(1f));
    beta = store.declare(prefix + "/beta", Shape.of(n), Initializer.zeros());
    declareState(n, store);
    return inputShape;
  }

  @Override
  public final Shape outputShape(Shape inputShape) {
    if (features >= 0 && inputShape.dim(-1) != features) {
      throw new IllegalArgumentException(
          name() + " was built for " + features + " features but got samples " + inputShape);
    }
    return inputShape;
  }

  /** The built store, after checking the input's features. */
  protected final ParameterStore checked(Variable input) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    outputShape(input.shape().dropFirst());
    return store;
  }

  protected final int features() {
    return features;
  }

  protected final Variable gamma() {
    return store.get(gamma);
  }

  protected final Variable beta() {
    return store.get(beta);
  }
}
