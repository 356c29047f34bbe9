package dev.timestep.pipeline.evaluation;

import dev.timestep.data.series.transform.Bounds;

/**
 * Empirical coverage of interval forecasts: the share of actual values inside their interval
 * (bounds included), per horizon step. Compared with the nominal level on backtest folds it shows
 * whether intervals are honest.
 */
public final class Coverage {
  private Coverage() {}

  /**
   * Per step, the share of {@code actual[i][k]} inside {@code intervals[i]} at step k; missing
   * actuals are left out, and a step with none scored is NaN.
   *
   * @throws IllegalArgumentException when there are not as many intervals as actual rows, or their
   *     steps differ
   */
  public static double[] perStep(double[][] actual, Bounds[] intervals) {
    if (actual == null || intervals == null || actual.length == 0) {
      throw new IllegalArgumentException("coverage: expected actuals and intervals");
    }
    if (actual.length != intervals.length) {
      throw new IllegalArgumentException(
          "coverage: expected one interval per actual row, got "
              + intervals.length
              + " for "
              + actual.length);
    }
    int steps = intervals[0] == null ? 0 : intervals[0].steps();
    int[] inside = new int[steps];
    int[] scored = new int[steps];
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] == null
          || intervals[i] == null
          || actual[i].length != steps
          || intervals[i].steps() != steps) {
        throw new IllegalArgumentException(
            "coverage: row " + i + " needs " + steps + " actual values and interval steps");
      }
      double[] lower = intervals[i].lower();
      double[] upper = intervals[i].upper();
      for (int k = 0; k < steps; k++) {
        double y = actual[i][k];
        if (Double.isNaN(y)) {
          continue;
        }
        scored[k]++;
        if (y >= lower[k] && y <= upper[k]) {
          inside[k]++;
        }
      }
    }
    double[] out = new double[steps];
    for (int k = 0; k < steps; k++) {
      out[k] = (double) inside[k] / scored[k];
    }
    return out;
  }
}
