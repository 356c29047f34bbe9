package dev.timestep.forecast;

import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;

/**
 * Forecasting several steps with a one-step model (the chapter's first method): predict the
 * next value, append it to the input, repeat. The input grows by one step each time, which a
 * recurrent model accepts since it takes any length.
 */
public final class IterativeForecast {
  private IterativeForecast() {}

  /**
   * The next {@code horizon} values of each series in x [n, steps, 1], as [n, horizon], using a
   * model that maps [n, steps, 1] to the next value [n, 1].
   */
  public static NDArray forecast(Sequential model, NDArray x, int horizon) {
    if (model == null || x == null) {
      throw new IllegalArgumentException("iterative forecast needs a model and input series");
    }
    if (x.rank() != 3 || x.dim(2) != 1) {
      throw new IllegalArgumentException("iterative forecast takes univariate series [n, steps, 1], got " + x.shape());
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    int n = x.dim(0);
    int steps = x.dim(1);
    if ((long) n * ((long) steps + horizon) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("iterative forecast: " + n + " series of " + steps + " steps grown by "
          + horizon + " is more values than one array can hold");
    }
    float[] grown = new float[n * (steps + horizon)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x.data(), i * steps, grown, i * (steps + horizon), steps);
    }
    float[] out = new float[n * horizon];
    for (int h = 0; h < horizon; h++) {
      int len = steps + h;
      float[] window = new float[n * len];
      for (int i = 0; i < n; i++) {
        System.arraycopy(grown, i * (steps + horizon), window, i * len, len);
      }
      NDArray next = model.predict(NDArray.of(window, n, len, 1), 256);
      if (next.rank() != 2 || next.dim(1) != 1) {
        throw new IllegalArgumentException("iterative forecast needs a one-step model (output [n, 1]), got "
            + next.shape());
      }
      for (int i = 0; i < n; i++) {
        grown[i * (steps + horizon) + len] = next.data()[i];
        out[i * horizon + h] = next.data()[i];
      }
    }
    return NDArray.of(out, n, horizon);
  }
}
