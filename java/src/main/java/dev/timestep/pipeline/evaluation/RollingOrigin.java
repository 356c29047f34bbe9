package dev.timestep.pipeline.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Rolling-origin (time-series cross-validation) folds with an expanding window: {@code folds}
 * origins, {@code step} rows apart, the last one {@code horizon} rows before the end, so the last
 * fold tests on the last {@code horizon} rows. Each fold trains on every row before its origin.
 *
 * <pre>{@code
 * for (Fold f : RollingOrigin.expanding(12, 5).withMinTrain(36).split(series.length)) {
 *   double[] forecast = model.fitAndForecast(f.train(series), 12);
 *   double[] truth = f.test(series);
 * }
 * }</pre>
 *
 * @param horizon rows each fold is scored on
 * @param folds number of origins
 * @param step rows between consecutive origins
 * @param minTrain fewest training rows the earliest fold may have
 */
public record RollingOrigin(int horizon, int folds, int step, int minTrain) {
  public RollingOrigin {
    if (horizon < 1 || folds < 1 || step < 1 || minTrain < 1) {
      throw new IllegalArgumentException(
          "rolling origin: horizon, folds, step and minimum training rows must each be at least 1,"
              + " got "
              + horizon
              + ", "
              + folds
              + ", "
              + step
              + " and "
              + minTrain);
    }
  }

  /** {@code folds} origins one row apart, at least one training row. */
  public static RollingOrigin expanding(int horizon, int folds) {
    return new RollingOrigin(horizon, folds, 1, 1);
  }

  /** The same folds with {@code step} rows between origins. */
  public RollingOrigin withStep(int step) {
    return new RollingOrigin(horizon, folds, step, minTrain);
  }

  /** The same folds, the earliest with at least {@code minTrain} training rows. */
  public RollingOrigin withMinTrain(int minTrain) {
    return new RollingOrigin(horizon, folds, step, minTrain);
  }

  /** Rows a series needs: {@code minTrain + step * (folds - 1) + horizon}. */
  public int rowsNeeded() {
    long needed = (long) minTrain + (long) step * (folds - 1) + horizon;
    return (int) Math.min(Integer.MAX_VALUE, needed);
  }

  /**
   * The folds of a series of {@code rows} rows, earliest origin first.
   *
   * @throws IllegalArgumentException when {@code rows} is below {@link #rowsNeeded()}
   */
  public List<Fold> split(int rows) {
    if (rows < rowsNeeded()) {
      throw new IllegalArgumentException(
          "rolling origin: "
              + folds
              + " folds of horizon "
              + horizon
              + ", "
              + step
              + " row(s) apart, after at least "
              + minTrain
              + " training rows need at least "
              + rowsNeeded()
              + " rows, got "
              + rows);
    }
    List<Fold> out = new ArrayList<>(folds);
    int last = rows - horizon;
    for (int i = 0; i < folds; i++) {
      out.add(new Fold(i, last - step * (folds - 1 - i), horizon));
    }
    return List.copyOf(out);
  }
}
