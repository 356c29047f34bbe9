package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;

/**
 * A number reported per epoch beside the loss. {@link #compute} returns a per-batch scalar; the
 * epoch value is its mean over batches weighted by batch size (exact for means).
 */
public interface Metric {
  String name();

  Variable compute(Tape tape, Variable prediction, Variable target);

  /** Mean squared error over every element. */
  static Metric mse() {
    return of("mse", Ops::mse);
  }

  /**
   * The book's {@code last_time_step_mse}: the MSE of the last time step only of [batch, time, k]
   * predictions and targets (the loss stays the MSE over every step).
   */
  static Metric lastTimeStepMse() {
    return of(
        "last_time_step_mse",
        (tape, p, y) -> Ops.mse(tape, Ops.lastStep(tape, p), Ops.lastStep(tape, y)));
  }

  /** A metric from a name and a function of (tape, prediction, target). */
  static Metric of(String name, Function fn) {
    if (name == null || name.isBlank() || fn == null) {
      throw new IllegalArgumentException("metric: a name and a function are required");
    }
    return new Metric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Variable compute(Tape tape, Variable prediction, Variable target) {
        return fn.apply(tape, prediction, target);
      }
    };
  }

  /** The computation behind a metric. */
  @FunctionalInterface
  interface Function {
    Variable apply(Tape tape, Variable prediction, Variable target);
  }
}
