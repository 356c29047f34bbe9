package dev.timestep.data.series.transform;

/**
 * A transform with its parameters fixed: applies to a series and takes forecasts made in its output
 * units back to its input units.
 *
 * <p>{@code history} is always the observed series in this transform's input units, ending at the
 * forecast origin (the row before the first forecast step). Element-wise transforms (log, Box-Cox)
 * ignore it; a difference of lag m adds each forecast step to the value m rows earlier, which for
 * the first m steps is one of the last m values of {@code history}.
 */
public interface FittedTransform {
  /**
   * The transform of {@code values}, as long as {@code values} so rows keep their times: rows the
   * transform cannot define (the first m rows of a difference of lag m) and missing rows are NaN.
   *
   * @throws IllegalArgumentException when a value is outside the transform's domain, naming its row
   */
  double[] apply(double[] values);

  /**
   * A forecast in output units taken back to input units.
   *
   * @param forecast step 1 first
   * @param history observed input-unit values up to the forecast origin
   * @throws IllegalArgumentException when {@code history} lacks values the inversion needs
   */
  double[] inverse(double[] forecast, double[] history);

  /**
   * An interval in output units taken back to input units, each bound inverted on its own. For an
   * increasing element-wise transform this maps each bound; a difference integrates each bound as a
   * path from the last observed values (see {@link Difference}). Lower stays at or below upper.
   *
   * @throws IllegalArgumentException when the bounds differ in length or a lower bound exceeds its
   *     upper bound
   */
  Bounds inverse(Bounds bounds, double[] history);

  /** A short description with the fitted parameters, e.g. {@code "Box-Cox (lambda 0.12)"}. */
  String describe();
}
