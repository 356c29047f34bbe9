package dev.timestep.autodiff;

import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * A value in a computation and, when it needs one, its gradient. Intermediate variables are made by
 * a {@link Tape} and freed with it; {@link Parameter}s outlive tapes.
 */
public class Variable {
  private final Tensor value;
  private final boolean requiresGrad;
  Tensor grad;

  protected Variable(Tensor value, boolean requiresGrad, Tensor grad) {
    if (value == null) {
      throw new IllegalArgumentException("variable value must not be null");
    }
    this.value = value;
    this.requiresGrad = requiresGrad;
    this.grad = grad;
  }

  public Tensor value() {
    return value;
  }

  public Shape shape() {
    return value.shape();
  }

  /** Whether gradients flow to this variable. Constants (inputs, targets) say no. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** The gradient tensor, or null when none has been created yet. */
  public Tensor grad() {
    return grad;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + value.shape() + (requiresGrad ? " (grad)" : "");
  }
}
