package dev.timestep.forecast;

import dev.timestep.nn.ModelLease;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;

/**
 * Forecasting past a multi-step model's horizon: a model that predicts the next h values is
 * applied, its h predictions are appended to the input, and it is applied again, until the
 * requested horizon H is covered (H need not be a multiple of h: the last round keeps only what is
 * still needed). With H ≤ h it is a single prediction. Univariate series only, since the model
 * predicts one value per future step.
 *
 * <pre>{@code
 * // a seq-to-vector model trained on 10-step targets, asked for 25 steps:
 * NDArray next25 = MultiStepForecast.forecast(model, xValid, 25);                  // [n, 25]
 * // an encoder-decoder ([n, h, 1] output):
 * NDArray next25 = MultiStepForecast.forecast(encDec, xValid, 25, ForecastOutput.SEQUENCE, InputWindow.GROW);
 * }</pre>
 */
public final class MultiStepForecast {
  private MultiStepForecast() {}

  /**
   * The next {@code horizon} values of each series in x [n, steps, 1], as [n, horizon]; the model's
   * output is read by its rank ([n, h] seq-to-vector, [n, steps, h] seq-to-seq: its last step) and
   * the input window grows.
   */
  public static NDArray forecast(Sequential model, NDArray x, int horizon) {
    return forecast(model, x, horizon, null, InputWindow.GROW);
  }

  /**
   * As {@link #forecast(Sequential, NDArray, int)} with the output layout ({@code null}: read from
   * the output's rank) and input window given.
   *
   * @throws IllegalArgumentException for a horizon below 1, x not [n, steps, 1], or an output that
   *     does not match the layout
   */
  public static NDArray forecast(
      Sequential model, NDArray x, int horizon, ForecastOutput output, InputWindow window) {
    FeedbackLoop.check("multi-step forecast", model, x, horizon);
    if (x.dim(2) != 1) {
      throw new IllegalArgumentException(
          "multi-step forecast takes univariate series [n, steps, 1], got "
              + x.shape()
              + "; a model predicting several future values of one feature cannot feed back the others");
    }
    if (window == null) {
      throw new IllegalArgumentException(
          "multi-step forecast: window must not be null (GROW or SLIDE)");
    }
    NDArray out;
    try (ModelLease held =
        model.lease("multi-step forecast")) { // one model from first step to last
      out =
          FeedbackLoop.run(
              model,
              x,
              horizon,
              window,
              prediction -> {
                ForecastOutput layout = output == null ? ForecastOutput.of(prediction) : output;
                NDArray next = layout.nextValues(prediction);
                return next.reshape(next.dim(0), next.dim(1), 1);
              });
    }
    return out.reshape(x.dim(0), horizon);
  }
}
