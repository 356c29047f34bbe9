package dev.timestep.spark;

import dev.timestep.data.series.ColumnScaler;
import dev.timestep.pipeline.SeriesForecast;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.tensor.NDArray;

/**
 * Forecasts a batch of windows in original units with one predict call, as {@link
 * SeriesModel#forecast} does for the windows of one series: scale, forecast, scale back. It is what
 * {@link TimestepForecaster} runs on each batch of a partition, so calling it in one process with
 * the same batches gives the same bits.
 */
public final class WindowScorer {
  private WindowScorer() {}

  /**
   * Means and spreads (null without MC samples), one row per window, {@code steps} each.
   *
   * @param mean the forecasts, original units
   * @param std their MC-dropout spreads, or null
   */
  public record Scores(double[][] mean, double[][] std) {}

  /**
   * Forecasts {@code steps} values after each window.
   *
   * @param windows each {@code window x columns} values in original units, time-major (row t, then
   *     column c), none missing
   * @param mcSamples 0 for one deterministic pass, else MC-dropout samples
   */
  public static Scores score(SeriesModel model, float[][] windows, int steps, int mcSamples) {
    if (model == null || windows == null || windows.length == 0) {
      throw new IllegalArgumentException(
          "window scorer: a model and at least one window are required");
    }
    int n = windows.length;
    int w = model.info().window();
    int f = model.info().columns().size();
    for (int i = 0; i < n; i++) {
      if (windows[i] == null || windows[i].length != w * f) {
        throw new IllegalArgumentException(
            "window scorer: window "
                + i
                + " has "
                + (windows[i] == null ? "no values" : windows[i].length + " values")
                + "; the model reads "
                + w
                + " steps x "
                + f
                + " column(s)");
      }
    }
    float[] flat = new float[n * w * f];
    for (int i = 0; i < n; i++) {
      System.arraycopy(windows[i], 0, flat, i * w * f, w * f);
    }
    ColumnScaler scaler = model.info().scaler();
    NDArray scaled = scaler.transform(NDArray.of(flat, n, w, f));
    SeriesForecast out = model.forecastWindows(scaled, steps, mcSamples);
    int target = model.info().targetIndex();
    float[] mean = scaler.inverseTarget(out.mean(), target).data();
    float[] std = out.std() == null ? null : scaler.inverseTargetSpread(out.std(), target).data();
    double[][] m = new double[n][steps];
    double[][] s = std == null ? null : new double[n][steps];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < steps; k++) {
        m[i][k] = mean[i * steps + k];
        if (s != null) {
          s[i][k] = std[i * steps + k];
        }
      }
    }
    return new Scores(m, s);
  }
}
