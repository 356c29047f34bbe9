package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.Collections;

/**
 * Keras' RepeatVector: a vector [batch, features] becomes a sequence [batch, n, features] with the
 * vector at every step. It turns a seq-to-vector encoder into the input of a recurrent decoder (the
 * chapter's vector-to-sequence and encoder-decoder shapes). No parameters.
 */
public final class RepeatVector implements Layer {
  private final int n;

  /**
   * @param n how many steps the output has, at least 1
   * @throws IllegalArgumentException when n is below 1
   */
  public RepeatVector(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "RepeatVector: n (the number of output steps) must be at least 1, got " + n);
    }
    this.n = n;
  }

  /** The number of output steps. */
  public int n() {
    return n;
  }

  @Override
  public String name() {
    return "RepeatVector(" + n + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    return outputShape(inputShape);
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.rank() != 1) {
      throw new IllegalArgumentException(
          name()
              + " takes vectors [features] (a 2-D batch), got samples of shape "
              + inputShape
              + "; put it after a recurrent layer without returnSequences");
    }
    return Shape.of(n, inputShape.dim(0));
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (input.shape().rank() != 2) {
      throw new IllegalArgumentException(
          name() + " takes a 2-D input [batch, features] but got " + input.shape());
    }
    // Each copy is the same variable, so backward sums the n steps' gradients into the input.
    return Ops.stackSteps(tape, Collections.nCopies(n, input));
  }
}
