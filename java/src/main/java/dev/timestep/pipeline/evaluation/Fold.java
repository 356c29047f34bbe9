package dev.timestep.pipeline.evaluation;

import dev.timestep.data.series.TimeSeries;
import java.util.Arrays;

/**
 * One rolling-origin fold: a model is fitted on rows {@code [0, origin)} and scored on rows {@code
 * [origin, origin + horizon)}. {@link #train} hands out the training rows only, so what a model
 * sees of a fold cannot include its future.
 *
 * @param index position among the folds, 0 for the earliest origin
 * @param origin the first test row, also the number of training rows
 * @param horizon test rows
 */
public record Fold(int index, int origin, int horizon) {
  public Fold {
    if (index < 0 || origin < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "fold: expected index >= 0, origin >= 1 and horizon >= 1, got "
              + index
              + ", "
              + origin
              + " and "
              + horizon);
    }
  }

  /** One past the last test row. */
  public int testEnd() {
    return origin + horizon;
  }

  /** Rows {@code [0, origin)} of {@code series} (a copy). */
  public double[] train(double[] series) {
    requireRows(series == null ? -1 : series.length);
    return Arrays.copyOfRange(series, 0, origin);
  }

  /** Rows {@code [origin, origin + horizon)} of {@code series} (a copy): what the fold scores. */
  public double[] test(double[] series) {
    requireRows(series == null ? -1 : series.length);
    return Arrays.copyOfRange(series, origin, testEnd());
  }

  /** Rows {@code [0, origin)} of {@code series}, with their times. */
  public TimeSeries train(TimeSeries series) {
    requireRows(series == null ? -1 : series.length());
    return series.slice(0, origin);
  }

  private void requireRows(int rows) {
    if (rows < testEnd()) {
      throw new IllegalArgumentException(
          "fold "
              + index
              + ": needs a series of at least "
              + testEnd()
              + " rows (origin "
              + origin
              + " + horizon "
              + horizon
              + "), got "
              + (rows < 0 ? "none" : rows));
    }
  }
}
