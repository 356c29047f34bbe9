package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;

/** Flattens each sample to one axis: [batch, time, features] → [batch, time·features]. */
public final class Flatten implements Layer {
  private Shape built;

  @Override
  public String name() {
    return "flatten";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    Shape out = outputShape(inputShape);
    built = inputShape;
    return out;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.size() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "flatten: samples of shape "
              + inputShape
              + " have "
              + inputShape.size()
              + " values, more than the "
              + Integer.MAX_VALUE
              + " one axis can hold");
    }
    if (built != null && inputShape.size() != built.size()) {
      throw new IllegalArgumentException(
          "flatten was built for samples of shape "
              + built
              + " but got samples of shape "
              + inputShape
              + "; a flattening model needs its training length");
    }
    return Shape.of(Math.toIntExact(inputShape.size()));
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (built != null && input.shape().rowSize() != built.size()) {
      throw new IllegalArgumentException(
          "flatten was built for samples of shape "
              + built
              + " but got input "
              + input.shape()
              + "; a flattening model needs its training length");
    }
    return Ops.flatten(tape, input);
  }
}
