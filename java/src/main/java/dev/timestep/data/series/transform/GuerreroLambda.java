package dev.timestep.data.series.transform;

/**
 * Chooses a Box-Cox lambda by Guerrero's method (Guerrero 1993, the default of R's {@code
 * forecast::BoxCox.lambda}): cut the rows into whole seasons, and pick the lambda that makes each
 * season's standard deviation most nearly proportional to its mean to the power {@code 1 - lambda},
 * i.e. the one minimising the coefficient of variation of {@code sd_i / mean_i^(1 - lambda)}. The
 * search runs over [-1, 2].
 *
 * <p>Why Guerrero rather than the profile likelihood: it asks exactly the question a forecaster has
 * (does the spread grow with the level?), needs no model for the mean, and is stable on a few
 * seasons of data. The profile likelihood assumes independent normal errors around a fitted mean,
 * which a trending seasonal series does not have, and on short series it chases the trend.
 */
public final class GuerreroLambda {
  /** Lowest lambda searched (inverse transform). */
  public static final double MIN = -1;

  /** Highest lambda searched. */
  public static final double MAX = 2;

  private static final double GRID = 0.01;

  private GuerreroLambda() {}

  /**
   * The lambda for {@code train}, using its last whole seasons (the oldest rows that do not fill
   * one are left out). Missing values (NaN) are left out of each season's statistics.
   *
   * @param period the season length; below 2 (no season), pairs of rows are used
   * @throws IllegalArgumentException when a value is not positive, when there are fewer than two
   *     whole seasons, or when every season is constant
   */
  public static double choose(double[] train, int period) {
    PositiveValues.require(train, "Box-Cox");
    int p = Math.max(2, period);
    if (train.length < 2 * p) {
      throw new IllegalArgumentException(
          "Box-Cox lambda (Guerrero): needs at least two whole seasons, "
              + 2 * p
              + " rows for period "
              + p
              + ", got "
              + train.length);
    }
    double[][] stats = seasonStats(train, p);
    double best = MIN;
    double bestCv = Double.POSITIVE_INFINITY;
    for (int i = 0; MIN + i * GRID <= MAX + 1e-9; i++) {
      double lambda = MIN + i * GRID;
      double cv = variation(stats, lambda);
      if (cv < bestCv) {
        bestCv = cv;
        best = lambda;
      }
    }
    if (!Double.isFinite(bestCv)) {
      throw new IllegalArgumentException(
          "Box-Cox lambda (Guerrero): every season of "
              + p
              + " rows is constant, so there is no spread to stabilise");
    }
    return refine(stats, Math.max(MIN, best - GRID), Math.min(MAX, best + GRID));
  }

  /**
   * Per whole season, from the end: {mean, sample standard deviation}; seasons with < 2 values out.
   */
  private static double[][] seasonStats(double[] y, int p) {
    int seasons = y.length / p;
    int start = y.length - seasons * p;
    double[][] out = new double[seasons][];
    int kept = 0;
    for (int s = 0; s < seasons; s++) {
      double sum = 0;
      int count = 0;
      for (int t = start + s * p; t < start + (s + 1) * p; t++) {
        if (!Double.isNaN(y[t])) {
          sum += y[t];
          count++;
        }
      }
      if (count < 2) {
        continue;
      }
      double mean = sum / count;
      double squares = 0;
      for (int t = start + s * p; t < start + (s + 1) * p; t++) {
        if (!Double.isNaN(y[t])) {
          squares += (y[t] - mean) * (y[t] - mean);
        }
      }
      out[kept++] = new double[] {mean, Math.sqrt(squares / (count - 1))};
    }
    return java.util.Arrays.copyOf(out, kept);
  }

  /** Coefficient of variation of sd / mean^(1 - lambda) over seasons; infinity when undefined. */
  private static double variation(double[][] stats, double lambda) {
    int n = stats.length;
    if (n < 2) {
      return Double.POSITIVE_INFINITY;
    }
    double[] ratio = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      ratio[i] = stats[i][1] / Math.pow(stats[i][0], 1 - lambda);
      sum += ratio[i];
    }
    double mean = sum / n;
    double squares = 0;
    for (double r : ratio) {
      squares += (r - mean) * (r - mean);
    }
    double cv = Math.sqrt(squares / (n - 1)) / mean;
    return mean > 0 && Double.isFinite(cv) ? cv : Double.POSITIVE_INFINITY;
  }

  /** Golden-section search for the minimum inside one grid cell either side of the grid's best. */
  private static double refine(double[][] stats, double lo, double hi) {
    double g = (Math.sqrt(5) - 1) / 2;
    double a = hi - g * (hi - lo);
    double b = lo + g * (hi - lo);
    double fa = variation(stats, a);
    double fb = variation(stats, b);
    for (int i = 0; i < 60; i++) {
      if (fa <= fb) {
        hi = b;
        b = a;
        fb = fa;
        a = hi - g * (hi - lo);
        fa = variation(stats, a);
      } else {
        lo = a;
        a = b;
        fa = fb;
        b = lo + g * (hi - lo);
        fb = variation(stats, b);
      }
    }
    return (lo + hi) / 2;
  }
}
