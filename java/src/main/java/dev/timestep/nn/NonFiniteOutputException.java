package dev.timestep.nn;

import dev.timestep.tensor.NDArray;

/**
 * A model's output that is NaN or infinite although its inputs were finite: a layer's values went
 * past float range (inputs of extreme magnitude, weights that diverged). {@code predict} throws it
 * rather than hand the value back, where it would be fed on and blamed on the data. Recursive
 * forecasts turn it into {@link #atForecastSteps}, which names the forecast step.
 */
public final class NonFiniteOutputException extends IllegalStateException {
  private final int sample;
  private final long output;
  private final float value;

  private NonFiniteOutputException(int sample, long output, float value) {
    super(
        "the model's output is not finite (overflowed) at sample "
            + sample
            + ", output "
            + output
            + ": "
            + value
            + "; its inputs were finite, so a layer's values went beyond float range (inputs of extreme magnitude, or"
            + " weights that diverged)");
    this.sample = sample;
    this.output = output;
    this.value = value;
  }

  /**
   * Returns {@code predictions} ([samples, ...], one row per sample) when every value is finite.
   *
   * @throws NonFiniteOutputException naming the first sample and output (flat within the sample)
   *     that is not
   */
  public static NDArray requireFinite(NDArray predictions) {
    if (predictions == null) {
      throw new IllegalArgumentException("requireFinite: predictions must not be null");
    }
    float[] d = predictions.data();
    for (int i = 0; i < d.length; i++) {
      if (!Float.isFinite(d[i])) {
        long row = predictions.shape().rowSize();
        throw new NonFiniteOutputException((int) (i / row), i % row, d[i]);
      }
    }
    return predictions;
  }

  /** The sample (row of the model's input) whose output is not finite. */
  public int sample() {
    return sample;
  }

  /** The position of that value within the sample's output, flat. */
  public long output() {
    return output;
  }

  /** The value: NaN or an infinity. */
  public float value() {
    return value;
  }

  /**
   * The error a recursive forecast reports when the prediction for its steps {@code first} to
   * {@code last} (from 1) overflowed: past the first step the inputs hold the model's own
   * forecasts, fed back, so the data is not to blame.
   */
  public IllegalStateException atForecastSteps(int first, int last) {
    String steps = first == last ? "step " + first : "steps " + first + "-" + last;
    String why =
        first == 1
            ? "; its inputs, your data, were finite"
            : "; its inputs there include the "
                + (first - 1)
                + " step(s) it forecast before, fed back, so the model's"
                + " own forecasts grew past float range, not your data: forecast fewer steps";
    return new IllegalStateException(
        "the model's output overflowed to "
            + value
            + " at "
            + steps
            + " of the forecast"
            + " (series "
            + sample
            + ")"
            + why,
        this);
  }
}
