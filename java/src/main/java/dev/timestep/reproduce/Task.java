package dev.timestep.reproduce;

import dev.timestep.data.Splits;

/** The chapter's three data tasks and where a row reads its data. */
enum Task {
  /** Series of 51 steps, target the 51st value. */
  ONE_STEP(1),
  /** Series of 60 steps, target the last 10 values (seq-to-vector). */
  TEN_STEPS_VECTOR(10),
  /** Series of 60 steps, at every step the next 10 values (seq-to-seq). */
  TEN_STEPS_SEQUENCE(10);

  final int horizon;

  Task(int horizon) {
    this.horizon = horizon;
  }

  Splits data(RowContext context) {
    return switch (this) {
      case ONE_STEP -> context.oneStep();
      case TEN_STEPS_VECTOR -> context.tenStepsVector();
      case TEN_STEPS_SEQUENCE -> context.tenStepsSequence();
    };
  }
}
