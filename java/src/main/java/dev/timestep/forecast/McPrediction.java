package dev.timestep.forecast;

import dev.timestep.tensor.NDArray;

/**
 * The result of MC dropout: per output element, the mean and the standard deviation (over samples,
 * population form as NumPy's {@code std}) of the model's predictions with dropout active. Both have
 * the shape of one ordinary prediction.
 *
 * @param mean the mean prediction, the forecast to report
 * @param std the spread of the samples, for error bars
 * @param samples how many dropout samples each value summarises
 */
public record McPrediction(NDArray mean, NDArray std, int samples) {
  public McPrediction {
    if (mean == null || std == null || !mean.shape().equals(std.shape())) {
      throw new IllegalArgumentException(
          "MC prediction: mean and std must have the same shape, got "
              + (mean == null ? "null" : mean.shape())
              + " and "
              + (std == null ? "null" : std.shape()));
    }
  }
}
