package dev.timestep.pipeline;

import dev.timestep.data.series.TimeSeries;
import java.util.Arrays;

/**
 * How far off a model's forecasts are at each lead time, measured on the series itself: the model
 * forecasts from the latest origins whose window and future are fully observed, and the error
 * against what really followed gives an RMSE per step ahead. Used as error bars when the model
 * cannot sample (no MC dropout), and as an honest check of a forecast past the horizon.
 *
 * @param origins how many forecasts were scored
 * @param firstOrigin the earliest origin row used
 * @param lastOrigin the latest origin row used
 * @param rmse per lead time (step 1 first), in the target's units
 */
public record Backtest(int origins, int firstOrigin, int lastOrigin, double[] rmse) {
  public Backtest {
    rmse = rmse.clone();
  }

  /** A copy of the RMSE per lead time. */
  @Override
  public double[] rmse() {
    return rmse.clone();
  }

  /**
   * Scores forecasts of {@code steps} values from up to {@code maxOrigins} of the latest origins of
   * {@code series} (in original units, gaps as NaN: windows and futures that touch a gap are not
   * used).
   *
   * @throws IllegalArgumentException when no origin has a complete window and future
   */
  public static Backtest run(SeriesModel model, TimeSeries series, int steps, int maxOrigins) {
    if (model == null || series == null) {
      throw new IllegalArgumentException("backtest: a model and a series are required");
    }
    if (maxOrigins < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "backtest: steps and origins must be at least 1, got " + steps + " and " + maxOrigins);
    }
    float[][] scaled = model.scaledColumns(series);
    int w = model.info().window();
    int n = series.length();
    // complete[r]: every model column present at row r; then count complete rows in a sliding span.
    boolean[] complete = new boolean[n];
    for (int r = 0; r < n; r++) {
      complete[r] = true;
      for (float[] column : scaled) {
        complete[r] &= !Float.isNaN(column[r]);
      }
    }
    // No more origins than rows: maxOrigins may be far more (e.g. "as many as there are").
    int[] picked = new int[Math.min(maxOrigins, n)];
    int count = 0;
    for (int o = n - steps; o >= w && count < maxOrigins; o--) {
      if (allComplete(complete, o - w, o + steps)) {
        picked[count++] = o;
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException(
          "backtest: no stretch of "
              + (w + steps)
              + " observed rows (window "
              + w
              + " + "
              + steps
              + " steps) in "
              + series.source()
              + " to score forecasts on");
    }
    int[] origins = Arrays.copyOf(picked, count);
    SeriesForecast f = model.forecast(series, origins, steps, 0);
    float[] truth = series.column(model.info().target());
    double[] sum = new double[steps];
    for (int i = 0; i < count; i++) {
      double[] mean = f.mean(i);
      for (int k = 0; k < steps; k++) {
        double d = mean[k] - truth[origins[i] + k];
        sum[k] += d * d;
      }
    }
    double[] rmse = new double[steps];
    for (int k = 0; k < steps; k++) {
      rmse[k] = Math.sqrt(sum[k] / count);
    }
    return new Backtest(count, origins[count - 1], origins[0], rmse);
  }

  private static boolean allComplete(boolean[] complete, int from, int to) {
    for (int r = from; r < to; r++) {
      if (!complete[r]) {
        return false;
      }
    }
    return true;
  }
}
