package dev.timestep.data.series.transform;

/**
 * A transform before it has seen data: {@link #fit} learns its parameters (a Box-Cox lambda, say)
 * from training rows only, so that nothing about the rows being forecast leaks into them.
 */
public interface SeriesTransform {
  /**
   * The transform fitted on {@code train}, the training rows in this transform's input units (NaN
   * where missing).
   *
   * @throws IllegalArgumentException when the rows cannot be transformed (e.g. a log of 0) or are
   *     too few to fit
   */
  FittedTransform fit(double[] train);

  /** A short description for messages and reports, e.g. {@code "seasonal difference (lag 12)"}. */
  String describe();
}
