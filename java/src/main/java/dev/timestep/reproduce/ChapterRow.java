package dev.timestep.reproduce;

/**
 * One row of the chapter's results table: a model or baseline, how to run it, and the number the
 * book reports for it.
 */
public interface ChapterRow {
  int number();

  /** "one step" or "10 steps". */
  String task();

  /** The model as the book describes it. */
  String model();

  /** The metric reported: "val mse" or "val last_time_step_mse". */
  String metric();

  /** The book notebook's final run. */
  double bookValue();

  /** The range of the book's three published runs, low and high. */
  double bookLow();

  double bookHigh();

  /** Trains (if needed) and returns our value of {@link #metric()} on the validation set. */
  double run(RowContext context);
}
