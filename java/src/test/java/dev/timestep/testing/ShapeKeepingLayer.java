package dev.timestep.testing;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.nn.Layer;
import dev.timestep.tensor.Shape;

/** A test layer with no weights whose output has its input's shape; subclasses write forward. */
public abstract class ShapeKeepingLayer implements Layer {
  private final String name;

  protected ShapeKeepingLayer(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    return inputShape;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return inputShape;
  }
}
