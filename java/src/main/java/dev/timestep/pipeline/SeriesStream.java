package dev.timestep.pipeline;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.BoxCox;
import dev.timestep.data.series.transform.Difference;
import dev.timestep.data.series.transform.FittedTransform;
import dev.timestep.data.series.transform.LogTransform;
import dev.timestep.data.series.transform.TransformChain;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A live series forecast by a trained {@link SeriesEnsemble} (or one {@link SeriesModel}, through
 * {@link SeriesEnsemble#of}) one observation at a time, returning exactly what {@link
 * SeriesEnsemble#forecast} returns for the history so far: the scaler, relative windows, the
 * transform (Box-Cox, log, differences) and the members' median all apply as they do there.
 *
 * <p>Not O(1) per point, and cannot be: the workflow's models are trained on windows of fixed
 * length and forecast from the last {@code window} rows, so a recurrent state carried over the
 * whole history would answer another question. The stream keeps the last rows that forecast needs
 * (the window, plus the lags of any difference transform; the whole history for a transform of
 * unknown reach) and runs the ensemble over them at every point. For O(1) recurrent streaming over
 * a growing history, use {@code dev.timestep.stream.StreamingForecaster} on the network itself.
 *
 * <p>Thread-safe: calls run one at a time.
 */
public final class SeriesStream {
  private final SeriesEnsemble ensemble;
  private final int steps;
  private final int keep; // rows kept; Integer.MAX_VALUE: all
  private final List<float[]> rows = new ArrayList<>();
  private long seen;

  private SeriesStream(SeriesEnsemble ensemble, int steps, int keep) {
    this.ensemble = ensemble;
    this.steps = steps;
    this.keep = keep;
  }

  /**
   * A stream forecasting {@code steps} values after each observation.
   *
   * @throws IllegalArgumentException for a null ensemble or steps below 1
   */
  public static SeriesStream of(SeriesEnsemble ensemble, int steps) {
    if (ensemble == null) {
      throw new IllegalArgumentException("SeriesStream: the ensemble must not be null");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("SeriesStream: steps must be at least 1, got " + steps);
    }
    int lags = lags(ensemble.transform());
    int window = ensemble.info().window();
    return new SeriesStream(ensemble, steps, lags < 0 ? Integer.MAX_VALUE : window + lags);
  }

  /** The rows of history a forecast reads before the window: a difference's lags; -1: unknown. */
  static int lags(FittedTransform t) {
    if (t == null) {
      return 0;
    }
    if (t instanceof Difference d) {
      return d.lag();
    }
    if (t instanceof TransformChain.Fitted chain) {
      int sum = 0;
      for (FittedTransform stage : chain.stages()) {
        int l = lags(stage);
        if (l < 0) {
          return -1;
        }
        sum += l;
      }
      return sum;
    }
    return t instanceof BoxCox || t instanceof LogTransform ? 0 : -1;
  }

  /** The rows needed before the first forecast: the model's window (plus a difference's lags). */
  public int rowsNeeded() {
    return keep == Integer.MAX_VALUE ? ensemble.info().window() : keep;
  }

  /** Observations seen so far. */
  public synchronized long seen() {
    return seen;
  }

  /**
   * Feeds one row (a value per model column, in {@code info().columns()} order, in the series' own
   * units) and returns the point forecast of the next {@code steps} values, or an empty array until
   * {@link #rowsNeeded} rows have been seen.
   *
   * @throws IllegalArgumentException for a row of the wrong length or with NaN/Inf
   */
  public synchronized double[] push(float... row) {
    List<String> columns = ensemble.info().columns();
    if (row == null || row.length != columns.size()) {
      throw new IllegalArgumentException(
          "SeriesStream.push: a row has one value per column "
              + columns
              + ", got "
              + (row == null ? "null" : row.length));
    }
    for (int c = 0; c < row.length; c++) {
      if (!Float.isFinite(row[c])) {
        throw new IllegalArgumentException(
            "SeriesStream.push: column '" + columns.get(c) + "' is " + row[c]);
      }
    }
    rows.add(row.clone());
    if (rows.size() > keep) {
      rows.remove(0);
    }
    seen++;
    if (rows.size() < rowsNeeded()) {
      return new double[0];
    }
    return ensemble.forecast(kept(columns), steps).point();
  }

  /** The kept rows as a series (its times are placeholders: a forecast does not read them). */
  private TimeSeries kept(List<String> columns) {
    int n = rows.size();
    float[][] values = new float[columns.size()][n];
    List<LocalDateTime> times = new ArrayList<>(n);
    LocalDateTime start = LocalDateTime.of(2000, 1, 1, 0, 0);
    for (int t = 0; t < n; t++) {
      times.add(start.plusDays(t));
      float[] r = rows.get(t);
      for (int c = 0; c < r.length; c++) {
        values[c][t] = r[c];
      }
    }
    return TimeSeries.of("stream", TimeFormat.DATE, times, columns, values);
  }

  @Override
  public synchronized String toString() {
    return "SeriesStream(" + seen + " rows seen, keeps " + rowsNeeded() + ")";
  }
}
