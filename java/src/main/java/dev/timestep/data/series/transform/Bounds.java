package dev.timestep.data.series.transform;

/**
 * Lower and upper bounds of an interval forecast, one of each per forecast step (step 1 first).
 *
 * @param lower at or below {@code upper} at every step
 * @param upper at or above {@code lower} at every step
 */
public record Bounds(double[] lower, double[] upper) {
  public Bounds {
    if (lower == null || upper == null || lower.length != upper.length) {
      throw new IllegalArgumentException(
          "bounds: expected as many lower as upper bounds, got "
              + (lower == null ? "null" : lower.length)
              + " and "
              + (upper == null ? "null" : upper.length));
    }
    for (int k = 0; k < lower.length; k++) {
      if (lower[k] > upper[k]) {
        throw new IllegalArgumentException(
            "bounds: step "
                + (k + 1)
                + " has lower bound "
                + lower[k]
                + " above its upper bound "
                + upper[k]);
      }
    }
    lower = lower.clone();
    upper = upper.clone();
  }

  /** A copy of the lower bounds. */
  @Override
  public double[] lower() {
    return lower.clone();
  }

  /** A copy of the upper bounds. */
  @Override
  public double[] upper() {
    return upper.clone();
  }

  /** Number of forecast steps. */
  public int steps() {
    return lower.length;
  }
}
