package dev.timestep.pipeline.evaluation;

import dev.timestep.data.series.transform.Bounds;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prediction intervals from backtest residuals, one width per horizon step (split-conformal
 * prediction). With n absolute residuals of a step sorted ascending, the half-width at level L is
 * the {@code ceil((n + 1) L)}-th smallest: the finite-sample correction that makes a new
 * exchangeable residual fall inside with probability at least L. No distribution is assumed; the
 * intervals are symmetric around the point forecast, in the units the residuals were taken in (take
 * them after inverting differences, and before a log or Box-Cox to get intervals that widen with
 * the level once inverted).
 *
 * <pre>{@code
 * SplitConformal c = SplitConformal.fit(residuals);   // [fold][step]: actual - forecast
 * Bounds b = c.interval(forecast, 0.8);
 * }</pre>
 */
public final class SplitConformal {
  private final double[][] sortedAbs;

  private SplitConformal(double[][] sortedAbs) {
    this.sortedAbs = sortedAbs;
  }

  /**
   * Calibrated on {@code residuals[fold][step]} ({@code actual - forecast}); NaN (an unscored step)
   * is left out.
   *
   * @throws IllegalArgumentException when there are no folds, rows differ in length, or a residual
   *     is infinite
   */
  public static SplitConformal fit(double[][] residuals) {
    if (residuals == null || residuals.length == 0 || residuals[0] == null) {
      throw new IllegalArgumentException(
          "split conformal: expected residuals of at least one fold");
    }
    int steps = residuals[0].length;
    double[][] columns = new double[steps][residuals.length];
    int[] count = new int[steps];
    for (int i = 0; i < residuals.length; i++) {
      if (residuals[i] == null || residuals[i].length != steps || steps == 0) {
        throw new IllegalArgumentException(
            "split conformal: every fold needs "
                + steps
                + " residuals (at least 1), but fold "
                + i
                + " has "
                + (residuals[i] == null ? "none" : residuals[i].length));
      }
      for (int k = 0; k < steps; k++) {
        double r = residuals[i][k];
        if (Double.isInfinite(r)) {
          throw new IllegalArgumentException(
              "split conformal: fold " + i + ", step " + (k + 1) + " has an infinite residual");
        }
        if (!Double.isNaN(r)) {
          columns[k][count[k]++] = Math.abs(r);
        }
      }
    }
    for (int k = 0; k < steps; k++) {
      columns[k] = Arrays.copyOf(columns[k], count[k]);
      Arrays.sort(columns[k]);
    }
    return new SplitConformal(columns);
  }

  /** The fewest residuals per step for which a level-L interval is finite. */
  public static int residualsNeeded(double level) {
    requireLevel(level);
    int n = 1;
    while (rank(n, level) > n) {
      n++;
    }
    return n;
  }

  /** Number of horizon steps. */
  public int steps() {
    return sortedAbs.length;
  }

  /** Residuals used at each step (NaN ones left out). */
  public int[] counts() {
    return Arrays.stream(sortedAbs).mapToInt(c -> c.length).toArray();
  }

  /**
   * The half-width per step at {@code level}, step 1 first.
   *
   * @throws IllegalArgumentException when the level is not inside (0, 1) or a step has fewer than
   *     {@link #residualsNeeded} residuals (its interval would be unbounded)
   */
  public double[] halfWidths(double level) {
    requireLevel(level);
    double[] out = new double[sortedAbs.length];
    for (int k = 0; k < out.length; k++) {
      int n = sortedAbs[k].length;
      int rank = rank(n, level);
      if (rank > n) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "split conformal: level %s needs at least %d residuals per step, but step %d has"
                    + " %d; backtest more folds or lower the level",
                level,
                residualsNeeded(level),
                k + 1,
                n));
      }
      out[k] = sortedAbs[k][rank - 1];
    }
    return out;
  }

  /**
   * {@code point} plus and minus the half-width of each step.
   *
   * @throws IllegalArgumentException when {@code point} does not have one value per step
   */
  public Bounds interval(double[] point, double level) {
    if (point == null || point.length != sortedAbs.length) {
      throw new IllegalArgumentException(
          "split conformal: expected a forecast of "
              + sortedAbs.length
              + " steps, got "
              + (point == null ? "none" : point.length));
    }
    double[] w = halfWidths(level);
    double[] lower = new double[w.length];
    double[] upper = new double[w.length];
    for (int k = 0; k < w.length; k++) {
      lower[k] = point[k] - w[k];
      upper[k] = point[k] + w[k];
    }
    return new Bounds(lower, upper);
  }

  // ceil((n + 1) L), with a little slack so that 20 * 0.95 counts as 19 despite rounding.
  private static int rank(int n, double level) {
    return (int) Math.ceil((n + 1) * level - 1e-9);
  }

  private static void requireLevel(double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException(
          "split conformal: level must be inside (0, 1), e.g. 0.8 or 0.95, got " + level);
    }
  }
}
