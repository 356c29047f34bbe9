package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;

/**
 * One step of a recurrent cell written by a user with the autodiff ops ({@code dev.timestep
 * .autodiff.Ops}), run over a sequence by {@link RNN}. The cell's output is its new state. This is
 * the slow, flexible path; the built-in layers run as one fused op.
 */
public interface Cell {
  /** The size of the state (and of the output). */
  int units();

  /** Declares the cell's parameters for inputs of {@code features} values per step. */
  void build(int features, ParameterStore store);

  /**
   * The new state from this step's input x [batch, features] and the previous state h [batch,
   * units].
   */
  Variable step(Tape tape, Variable x, Variable h);
}
