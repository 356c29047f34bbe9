package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;

/**
 * Keras' LayerNormalization over the last axis: per sample (and per step), normalize the
 * features to mean 0 and variance 1 (ε 1e-3), then scale by γ (ones) and shift by β (zeros).
 */
public final class LayerNormalization implements Layer {
  private ParameterStore store;
  private int features = -1;
  private int gamma;
  private int beta;

  @Override
  public String name() {
    return "LayerNormalization";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    this.features = inputShape.dim(-1);
    if (features < 1) {
      throw new IllegalArgumentException(name() + ": the last axis of " + inputShape + " is empty");
    }
    this.store = store;
    gamma = store.declare("layer_norm/gamma", Shape.of(features), Initializer.constant(1f));
    beta = store.declare("layer_norm/beta", Shape.of(features), Initializer.zeros());
    return inputShape;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (features >= 0 && inputShape.dim(-1) != features) {
      throw new IllegalArgumentException(name() + " was built for " + features + " features but got samples "
          + inputShape);
    }
    return inputShape;
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    outputShape(input.shape().dropFirst());
    return Ops.layerNorm(tape, input, store.get(gamma), store.get(beta));
  }
}
