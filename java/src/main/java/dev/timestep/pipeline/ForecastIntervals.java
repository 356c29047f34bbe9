package dev.timestep.pipeline;

import dev.timestep.data.series.transform.Bounds;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.pipeline.evaluation.SplitConformal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prediction intervals a model file keeps: for each level (0.8, 0.95), one half-width per forecast
 * step in the series' units, calibrated by split-conformal prediction on backtest residuals. A
 * level is kept only when the backtests gave enough residuals for it (4 for 80%, 19 for 95%).
 *
 * @param levels the levels, ascending
 * @param halfWidths [level][step]
 */
public record ForecastIntervals(double[] levels, double[][] halfWidths) {
  /** The levels the workflow calibrates. */
  public static final double[] LEVELS = {0.8, 0.95};

  static final String LEVELS_KEY = "series.intervals.levels";
  static final String WIDTH_KEY = "series.intervals.half_width.";

  public ForecastIntervals {
    if (levels == null || halfWidths == null) {
      throw new IllegalArgumentException("intervals: levels and half-widths are required");
    }
    for (double[] row : halfWidths) {
      if (row == null || row.length == 0 || row.length != halfWidths[0].length) {
        throw new IllegalArgumentException(
            "intervals: every level needs one half-width per step, the same number of steps");
      }
    }
    levels = levels.clone();
    halfWidths = Arrays.stream(halfWidths).map(double[]::clone).toArray(double[][]::new);
    if (levels.length != halfWidths.length) {
      throw new IllegalArgumentException(
          "intervals: " + levels.length + " levels but " + halfWidths.length + " width rows");
    }
  }

  /** None: no level could be calibrated. */
  public static ForecastIntervals none() {
    return new ForecastIntervals(new double[0], new double[0][]);
  }

  /**
   * Calibrated on {@code residuals[fold][step]} (actual - forecast, NaN where unscored), at each of
   * {@link #LEVELS} with enough residuals at every step. A step's half-width is at least the one
   * before it: with a handful of folds per step the raw widths jump up and down, and a forecast
   * further ahead is not more certain than a nearer one (widening only raises coverage).
   */
  public static ForecastIntervals calibrate(double[][] residuals) {
    SplitConformal c = SplitConformal.fit(residuals);
    List<double[]> widths = new ArrayList<>();
    List<Double> kept = new ArrayList<>();
    for (double level : LEVELS) {
      int needed = SplitConformal.residualsNeeded(level);
      if (Arrays.stream(c.counts()).min().orElse(0) >= needed) {
        kept.add(level);
        double[] w = c.halfWidths(level);
        for (int k = 1; k < w.length; k++) {
          w[k] = Math.max(w[k], w[k - 1]);
        }
        widths.add(w);
      }
    }
    return new ForecastIntervals(
        kept.stream().mapToDouble(Double::doubleValue).toArray(), widths.toArray(new double[0][]));
  }

  /** Whether any level was calibrated. */
  public boolean isEmpty() {
    return levels.length == 0;
  }

  /** Steps the widths cover (0 when empty). */
  public int steps() {
    return isEmpty() ? 0 : halfWidths[0].length;
  }

  /** The interval around {@code point} at {@code levels()[i]}, for at most {@link #steps()}. */
  public Bounds interval(double[] point, int i) {
    if (i < 0 || i >= levels.length) {
      throw new IllegalArgumentException(
          "intervals: level index " + i + " is not one of the " + levels.length + " levels kept");
    }
    if (point == null || point.length > steps()) {
      throw new IllegalArgumentException(
          "intervals cover "
              + steps()
              + " steps, not the "
              + (point == null ? "missing" : point.length)
              + " forecast");
    }
    double[] lower = new double[point.length];
    double[] upper = new double[point.length];
    for (int s = 0; s < point.length; s++) {
      lower[s] = point[s] - halfWidths[i][s];
      upper[s] = point[s] + halfWidths[i][s];
    }
    return new Bounds(lower, upper);
  }

  ModelMetadata toMetadata() {
    ModelMetadata.Builder b = ModelMetadata.builder();
    if (isEmpty()) {
      return b.build();
    }
    b.put(LEVELS_KEY, levels);
    for (int i = 0; i < levels.length; i++) {
      b.put(WIDTH_KEY + i, halfWidths[i]);
    }
    return b.build();
  }

  static ForecastIntervals fromMetadata(ModelMetadata m, String file) {
    double[] levels = m.numbers(LEVELS_KEY).orElse(new double[0]);
    double[][] widths = new double[levels.length][];
    for (int i = 0; i < levels.length; i++) {
      widths[i] = m.numbers(WIDTH_KEY + i).orElse(null);
      if (!(levels[i] > 0 && levels[i] < 1)
          || widths[i] == null
          || widths[i].length != (i == 0 ? widths[0].length : widths[0].length)
          || widths[i].length == 0
          || Arrays.stream(widths[i]).anyMatch(w -> !(w >= 0) || Double.isInfinite(w))) {
        throw new ModelFileException(
            "model file " + file + " has a damaged interval at level " + levels[i]);
      }
    }
    return new ForecastIntervals(levels, widths);
  }
}
