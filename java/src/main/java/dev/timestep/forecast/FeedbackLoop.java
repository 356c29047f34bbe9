package dev.timestep.forecast;

import dev.timestep.nn.NonFiniteOutputException;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import java.util.function.Function;

/**
 * The loop behind every recursive forecast: predict from the input so far, append the predicted
 * steps to it, repeat until the horizon is covered. How many steps one prediction gives is the
 * {@code nextSteps} function's business.
 */
final class FeedbackLoop {
  private FeedbackLoop() {}

  /**
   * The next {@code horizon} steps of each series in x [n, steps, F], as [n, horizon, F]. {@code
   * nextSteps} turns one prediction (for the current windows) into [n, k, F], the next k ≥ 1 steps;
   * only as many as the horizon still needs are kept.
   */
  static NDArray run(
      Sequential model,
      NDArray x,
      int horizon,
      InputWindow window,
      Function<NDArray, NDArray> nextSteps) {
    int n = x.dim(0);
    int steps = x.dim(1);
    int features = x.dim(2);
    int total = Math.addExact(steps, horizon);
    float[] grown = new float[Math.multiplyExact(n, total) * features];
    for (int i = 0; i < n; i++) {
      System.arraycopy(
          x.data(), i * steps * features, grown, i * total * features, steps * features);
    }
    int filled = steps;
    int outputSteps = 0;
    while (filled < total) {
      int start = window == InputWindow.SLIDE ? filled - steps : 0;
      int len = filled - start;
      float[] input = new float[n * len * features];
      for (int i = 0; i < n; i++) {
        System.arraycopy(
            grown, (i * total + start) * features, input, i * len * features, len * features);
      }
      NDArray next;
      try {
        next = nextSteps.apply(model.predict(NDArray.of(input, n, len, features), 256));
      } catch (NonFiniteOutputException e) {
        // how many steps a round forecasts is known from an earlier round (1 until then)
        throw e.atForecastSteps(
            filled - steps + 1, Math.min(horizon, filled - steps + Math.max(1, outputSteps)));
      }
      int k = next.dim(1);
      outputSteps = k;
      int take = Math.min(k, total - filled);
      for (int i = 0; i < n; i++) {
        System.arraycopy(
            next.data(), i * k * features, grown, (i * total + filled) * features, take * features);
      }
      filled += take;
    }
    float[] out = new float[n * horizon * features];
    for (int i = 0; i < n; i++) {
      System.arraycopy(
          grown, (i * total + steps) * features, out, i * horizon * features, horizon * features);
    }
    return NDArray.of(out, n, horizon, features);
  }

  /** Checks shared by every recursive forecast: a model, input [n, steps, F] and a horizon ≥ 1. */
  static void check(String what, Sequential model, NDArray x, int horizon) {
    if (model == null) {
      throw new IllegalArgumentException(what + ": model must not be null");
    }
    if (x == null) {
      throw new IllegalArgumentException(what + ": input series x must not be null");
    }
    if (x.rank() != 3) {
      throw new IllegalArgumentException(
          what
              + " takes series [n, steps, features] (rank 3), got shape "
              + x.shape()
              + "; reshape a univariate batch to [n, steps, 1]");
    }
    if (x.dim(0) == 0 || x.dim(1) == 0 || x.dim(2) == 0) {
      throw new IllegalArgumentException(
          what + ": the input series are empty (shape " + x.shape() + ")");
    }
    if (horizon < 1) {
      throw new IllegalArgumentException(
          what + ": horizon must be at least 1 step, got " + horizon);
    }
    long grownValues = (long) x.dim(0) * ((long) x.dim(1) + horizon) * x.dim(2);
    if (grownValues > NDArray.MAX_VALUES) {
      throw new IllegalArgumentException(
          what
              + ": "
              + x.dim(0)
              + " series of "
              + x.dim(1)
              + " steps grown by "
              + horizon
              + " steps is more values than one array can hold");
    }
    if (model.isBuilt() && model.inputShape().rank() != 2) {
      throw new IllegalArgumentException(
          what
              + ": the model takes samples of shape "
              + model.inputShape()
              + ", not series [steps, features]");
    }
  }
}
