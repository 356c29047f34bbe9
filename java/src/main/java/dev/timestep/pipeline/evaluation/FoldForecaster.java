package dev.timestep.pipeline.evaluation;

import dev.timestep.data.series.TimeSeries;

/**
 * What a backtest scores: a way to fit on a fold's training rows and forecast the rows after them.
 * A backtest calls it once per fold with the rows before the fold's origin only, so whatever it
 * fits (weights, scaling, gap filling) cannot have seen the rows it is scored on.
 */
@FunctionalInterface
public interface FoldForecaster {
  /**
   * The {@code horizon} values after the last row of {@code training}, step 1 first, in the units
   * of {@code training} (a backtest with a transform hands over transformed rows and inverts the
   * forecast itself).
   *
   * @param training the fold's training rows: one column, NaN where missing
   */
  double[] forecast(TimeSeries training, int horizon);

  /**
   * The fewest training rows this forecaster can fit on for {@code horizon} (a trainer that splits
   * off validation rows needs more than one window); the earliest fold gets at least this many.
   */
  default int minTrainingRows(int horizon) {
    return 1;
  }
}
