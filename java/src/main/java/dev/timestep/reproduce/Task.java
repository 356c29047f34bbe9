package dev.timestep.reproduce;

import dev.timestep.data.Splits;

/** The chapter's three data tasks and where a row reads its data. */
enum Task {
  /** Series of 51 steps, target the 51st value. */
  ONE_STEP(1),
  /** Series of 60 steps, target the last 10 values (seq-to-vector). */
  TEN_STEPS_VECTOR(10),
  /** Series of 60 steps, at every step the next 10 values (seq-to-seq). */
  TEN_STEPS_SEQUENCE(10, true),
  /** The seq-to-seq targets at steps 3, 5, ..., 49 ({@code Y[:, 3::2]}), for a stride-2 Conv1D. */
  TEN_STEPS_SEQUENCE_FROM_3_EVERY_2(10, true);

  final int horizon;

  /** Seq-to-seq: reports last_time_step_mse. */
  final boolean sequence;

  Task(int horizon) {
    this(horizon, false);
  }

  Task(int horizon, boolean sequence) {
    this.horizon = horizon;
    this.sequence = sequence;
  }

  Splits data(RowContext context) {
    return switch (this) {
      case ONE_STEP -> context.oneStep();
      case TEN_STEPS_VECTOR -> context.tenStepsVector();
      case TEN_STEPS_SEQUENCE -> context.tenStepsSequence();
      case TEN_STEPS_SEQUENCE_FROM_3_EVERY_2 -> context.tenStepsSequenceFrom3Every2();
    };
  }
}
