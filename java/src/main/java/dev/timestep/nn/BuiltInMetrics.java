package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.backend.ElementwiseLoss;

/**
 * The one instance of each built-in {@link Metric}: a model file saves a metric by name only when
 * it is that instance, so a metric of your own that shares a built-in's name is not mistaken for
 * it.
 */
final class BuiltInMetrics {
  static final Metric MSE = Metric.of("mse", Ops::mse);

  static final Metric MAE =
      Metric.of(
          "mae",
          (tape, p, y) ->
              Ops.elementwiseLoss(tape, ElementwiseLoss.ABSOLUTE, new float[] {0f}, p, y));

  static final Metric RMSE = Metric.of("rmse", Ops::mse, Math::sqrt);

  // 1e-7: Keras' backend epsilon, the floor of |target|.
  static final Metric MAPE =
      Metric.of(
          "mape",
          (tape, p, y) ->
              Ops.elementwiseLoss(
                  tape, ElementwiseLoss.ABSOLUTE_PERCENTAGE, new float[] {1e-7f}, p, y));

  static final Metric LAST_TIME_STEP_MSE =
      Metric.of(
          "last_time_step_mse",
          (tape, p, y) -> Ops.mse(tape, Ops.lastStep(tape, p), Ops.lastStep(tape, y)));

  private BuiltInMetrics() {}
}
