package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.tensor.Shape;

/**
 * A fully connected layer, {@code activation(x · W + b)}. On a 3-D input [batch, time, features] it
 * applies at every time step (Keras semantics, same as TimeDistributed(Dense)). Kernel: glorot
 * uniform; bias: zeros.
 */
public final class Dense implements Layer {
  private final int units;
  private final Activation activation;
  private int kernelIndex = -1;
  private int biasIndex = -1;
  private ParameterStore store;
  private int inputFeatures;

  public Dense(int units) {
    this(units, Activation.LINEAR);
  }

  public Dense(int units, Activation activation) {
    if (units < 1) {
      throw new IllegalArgumentException("Dense: units must be at least 1, got " + units);
    }
    if (activation == null) {
      throw new IllegalArgumentException(
          "Dense: activation must not be null (use Activation.LINEAR)");
    }
    this.units = units;
    this.activation = activation;
  }

  public int units() {
    return units;
  }

  public Activation activation() {
    return activation;
  }

  @Override
  public String name() {
    return "dense("
        + units
        + (activation == Activation.LINEAR ? "" : ", " + activation.name().toLowerCase())
        + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    if (inputShape.rank() != 1 && inputShape.rank() != 2) {
      throw new IllegalArgumentException(
          name()
              + " takes [features] or [time, features] samples, got "
              + inputShape
              + " (add a Flatten layer before it?)");
    }
    this.store = store;
    this.inputFeatures = inputShape.dim(-1);
    kernelIndex =
        store.declare("dense/kernel", Shape.of(inputFeatures, units), Initializer.glorotUniform());
    biasIndex = store.declare("dense/bias", Shape.of(units), Initializer.zeros());
    return inputShape.withLast(units);
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.dim(-1) != inputFeatures) {
      throw new IllegalArgumentException(
          name()
              + " was built for "
              + inputFeatures
              + " input features but got samples of shape "
              + inputShape);
    }
    return inputShape.withLast(units);
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    if (input.shape().dim(-1) != inputFeatures) {
      throw new IllegalArgumentException(
          name()
              + " was built for "
              + inputFeatures
              + " input features but got input "
              + input.shape());
    }
    Variable y = Ops.matmul(tape, input, store.get(kernelIndex));
    y = Ops.addBias(tape, y, store.get(biasIndex));
    return Ops.activation(tape, activation, y);
  }
}
