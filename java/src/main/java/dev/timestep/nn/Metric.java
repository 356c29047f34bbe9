package dev.timestep.nn;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import java.util.function.DoubleUnaryOperator;

/**
 * A number reported per epoch beside the loss. {@link #compute} returns a per-batch scalar; their
 * mean over the epoch's batches, weighted by batch size (exact for means), goes through {@link
 * #result} to give the reported value: the identity for a mean, a square root for {@link #rmse()}.
 */
public interface Metric {
  String name();

  Variable compute(Tape tape, Variable prediction, Variable target);

  /**
   * The reported value from the batch-size-weighted mean of {@link #compute}'s values over an epoch
   * (or an evaluation); the identity unless the metric is a function of a mean.
   */
  default double result(double meanOfBatchValues) {
    return meanOfBatchValues;
  }

  /** Mean squared error over every element. */
  static Metric mse() {
    return BuiltInMetrics.MSE;
  }

  /** Mean absolute error over every element, Keras' MeanAbsoluteError ("mae"). */
  static Metric mae() {
    return BuiltInMetrics.MAE;
  }

  /**
   * Root mean squared error, Keras' RootMeanSquaredError ("rmse"): the square root of the mean
   * squared error over the whole epoch, not the mean of per-batch roots.
   */
  static Metric rmse() {
    return BuiltInMetrics.RMSE;
  }

  /**
   * Mean absolute percentage error, Keras' MeanAbsolutePercentageError ("mape"): 100 · mean(|target
   * - prediction| / max(|target|, 1e-7)). A zero target makes its term huge rather than infinite,
   * as in Keras.
   */
  static Metric mape() {
    return BuiltInMetrics.MAPE;
  }

  /**
   * The book's {@code last_time_step_mse}: the MSE of the last time step only of [batch, time, k]
   * predictions and targets (the loss stays the MSE over every step).
   */
  static Metric lastTimeStepMse() {
    return BuiltInMetrics.LAST_TIME_STEP_MSE;
  }

  /** A metric from a name and a function of (tape, prediction, target), reported as its mean. */
  static Metric of(String name, Function fn) {
    return of(name, fn, DoubleUnaryOperator.identity());
  }

  /**
   * A metric from a name, a function of (tape, prediction, target) whose batch-size-weighted mean
   * the epoch accumulates, and the {@link #result} applied to that mean.
   */
  static Metric of(String name, Function fn, DoubleUnaryOperator result) {
    if (name == null || name.isBlank() || fn == null || result == null) {
      throw new IllegalArgumentException(
          "metric: a name, a function and a result function are required");
    }
    return new Metric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Variable compute(Tape tape, Variable prediction, Variable target) {
        return fn.apply(tape, prediction, target);
      }

      @Override
      public double result(double meanOfBatchValues) {
        return result.applyAsDouble(meanOfBatchValues);
      }
    };
  }

  /** The computation behind a metric. */
  @FunctionalInterface
  interface Function {
    Variable apply(Tape tape, Variable prediction, Variable target);
  }
}
