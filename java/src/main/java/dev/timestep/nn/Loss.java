package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;

/** A training objective: a scalar variable computed from predictions and targets. */
public interface Loss {
  String name();

  Variable compute(Tape tape, Variable prediction, Variable target);

  /** Mean squared error over every element, Keras' "mse". */
  static Loss mse() {
    return new Loss() {
      @Override
      public String name() {
        return "mse";
      }

      @Override
      public Variable compute(Tape tape, Variable prediction, Variable target) {
        return Ops.mse(tape, prediction, target);
      }
    };
  }
}
