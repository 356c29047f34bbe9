package dev.timestep.autodiff;

import dev.timestep.tensor.Tensor;

/**
 * A trainable variable: a named value and its gradient, both long-lived (usually views into a
 * model's parameter arena, so the optimizer updates all parameters in one call).
 */
public final class Parameter extends Variable {
  private final String name;

  public Parameter(String name, Tensor value, Tensor grad) {
    super(value, true, grad);
    if (grad == null || !grad.shape().equals(value.shape())) {
      throw new IllegalArgumentException(
          "parameter " + name + ": gradient must have the value's shape " + value.shape());
    }
    this.name = name;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "Parameter " + name + shape();
  }
}
