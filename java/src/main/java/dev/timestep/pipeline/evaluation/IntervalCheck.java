package dev.timestep.pipeline.evaluation;

/**
 * The empirical coverage of split-conformal intervals at one level on a backtest's folds, or why it
 * could not be measured. Each fold is checked against intervals calibrated on the residuals of the
 * other folds (leave one fold out), so no fold is inside an interval fitted to its own errors.
 *
 * @param level nominal level, e.g. 0.8
 * @param perStep share of actuals inside, per horizon step; null when not measured
 * @param overall share over every scored step; NaN when not measured
 * @param reason why it was not measured; null when it was
 */
public record IntervalCheck(double level, double[] perStep, double overall, String reason) {
  public IntervalCheck {
    perStep = perStep == null ? null : perStep.clone();
  }

  /** A measured coverage. */
  static IntervalCheck measured(double level, double[] perStep, double overall) {
    return new IntervalCheck(level, perStep, overall, null);
  }

  /** A coverage that could not be measured, and why. */
  static IntervalCheck unavailable(double level, String reason) {
    return new IntervalCheck(level, null, Double.NaN, reason);
  }

  /** Whether the coverage was measured. */
  public boolean measured() {
    return reason == null;
  }

  @Override
  public double[] perStep() {
    return perStep == null ? null : perStep.clone();
  }
}
