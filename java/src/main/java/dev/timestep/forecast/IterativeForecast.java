package dev.timestep.forecast;

import dev.timestep.nn.ModelLease;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;

/**
 * Forecasting any number of steps with a one-step model (the chapter's first method): predict the
 * next step, append it to the input, repeat. Works for univariate and multivariate series: the
 * model must predict every feature of the next step, [n, F] (or [n, steps, F] for a seq-to-seq
 * model, whose last step is used), since all of them are fed back.
 *
 * <pre>{@code
 * NDArray next10 = IterativeForecast.forecast(model, xValid, 10);              // [n, 10]
 * NDArray next10 = IterativeForecast.forecast(mlp, xValid, 10, InputWindow.SLIDE);
 * }</pre>
 */
public final class IterativeForecast {
  private IterativeForecast() {}

  /** {@link #forecast(Sequential, NDArray, int, InputWindow)} with a growing input window. */
  public static NDArray forecast(Sequential model, NDArray x, int horizon) {
    return forecast(model, x, horizon, InputWindow.GROW);
  }

  /**
   * The next {@code horizon} steps of each series in x [n, steps, F]: [n, horizon] when F = 1 (the
   * chapter's shape for Y), [n, horizon, F] otherwise.
   *
   * @throws IllegalArgumentException for a horizon below 1, x not of rank 3, or a model whose
   *     output is not one step of F features
   */
  public static NDArray forecast(Sequential model, NDArray x, int horizon, InputWindow window) {
    FeedbackLoop.check("iterative forecast", model, x, horizon);
    if (window == null) {
      throw new IllegalArgumentException(
          "iterative forecast: window must not be null (GROW or SLIDE)");
    }
    int features = x.dim(2);
    NDArray out;
    try (ModelLease held = model.lease("iterative forecast")) { // one model from first step to last
      out =
          FeedbackLoop.run(model, x, horizon, window, prediction -> nextStep(prediction, features));
    }
    return features == 1 ? out.reshape(x.dim(0), horizon) : out;
  }

  /** One step of F features, [n, 1, F], from a [n, F] or seq-to-seq [n, steps, F] prediction. */
  private static NDArray nextStep(NDArray prediction, int features) {
    int n = prediction.dim(0);
    if (prediction.rank() == 2 && prediction.dim(1) == features) {
      return prediction.reshape(n, 1, features);
    }
    if (prediction.rank() == 3 && prediction.dim(2) == features) {
      return ForecastOutput.LAST_STEP.nextValues(prediction).reshape(n, 1, features);
    }
    throw new IllegalArgumentException(
        "iterative forecast needs a one-step model that predicts all "
            + features
            + " feature(s) of the next step, [n, "
            + features
            + "] (or [n, steps, "
            + features
            + "] seq-to-seq), but the model outputs "
            + prediction.shape()
            + (prediction.rank() == 2 && features == 1
                ? "; for a multi-step model use MultiStepForecast"
                : ""));
  }
}
