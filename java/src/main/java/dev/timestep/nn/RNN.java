package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a user-written {@link Cell} over every step of a sequence (Keras' {@code RNN(cell)}):
 * initial state zeros, output the last state or, with {@link #returnSequences}, every state. Each
 * step is a handful of autodiff ops, so this is slower than the fused layers.
 */
public final class RNN implements Layer {
  private final Cell cell;
  private boolean returnSequences;
  private int features = -1;

  public RNN(Cell cell) {
    if (cell == null) {
      throw new IllegalArgumentException("RNN needs a cell");
    }
    if (cell.units() < 1) {
      throw new IllegalArgumentException(
          "RNN: the cell's units must be at least 1, got " + cell.units());
    }
    this.cell = cell;
  }

  public RNN returnSequences(boolean value) {
    if (features >= 0) {
      throw new IllegalStateException(name() + ": set returnSequences before the model is built");
    }
    this.returnSequences = value;
    return this;
  }

  @Override
  public String name() {
    return "RNN("
        + cell.getClass().getSimpleName()
        + "("
        + cell.units()
        + ")"
        + (returnSequences ? ", return_sequences" : "")
        + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    Shape out = outputShape(inputShape);
    features = inputShape.dim(1);
    cell.build(features, store);
    return out;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (inputShape.rank() != 2 || inputShape.dim(0) == 0 || inputShape.dim(1) == 0) {
      throw new IllegalArgumentException(
          name()
              + " takes samples of shape [time, features] with at least one "
              + "step and one feature, got "
              + inputShape);
    }
    if (features >= 0 && inputShape.dim(1) != features) {
      throw new IllegalArgumentException(
          name()
              + " was built for "
              + features
              + " features per step but got "
              + inputShape.dim(1));
    }
    return returnSequences ? Shape.of(inputShape.dim(0), cell.units()) : Shape.of(cell.units());
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (input.shape().rank() != 3) {
      throw new IllegalArgumentException(
          name() + " takes a 3-D input [batch, time, features] but got " + input.shape());
    }
    outputShape(input.shape().dropFirst());
    int steps = input.shape().dim(1);
    Variable h = tape.constant(tape.allocate(Shape.of(input.shape().dim(0), cell.units())));
    List<Variable> states = new ArrayList<>(steps);
    for (int t = 0; t < steps; t++) {
      h = cell.step(tape, Ops.timeStep(tape, input, t), h);
      if (!h.shape().equals(Shape.of(input.shape().dim(0), cell.units()))) {
        throw new IllegalStateException(
            name()
                + ": the cell returned a state of shape "
                + h.shape()
                + ", expected ["
                + input.shape().dim(0)
                + ", "
                + cell.units()
                + "]");
      }
      states.add(h);
    }
    return returnSequences ? Ops.stackSteps(tape, states) : h;
  }
}
