package dev.timestep.forecast;

import dev.timestep.tensor.NDArray;

/**
 * How to read the next steps of a univariate series from a multi-step model's prediction. {@link
 * #of} picks from the output's rank; an encoder-decoder needs {@link #SEQUENCE} named.
 */
public enum ForecastOutput {
  /** Seq-to-vector: [n, h], the next h values. */
  VECTOR,
  /**
   * Seq-to-seq: [n, steps, h], a forecast at every input step; the last step's h values are used.
   */
  LAST_STEP,
  /** Vector-to-sequence or encoder-decoder: [n, h, 1], the next h values as a sequence. */
  SEQUENCE;

  /** {@link #VECTOR} for a rank-2 prediction, {@link #LAST_STEP} for a rank-3 one. */
  static ForecastOutput of(NDArray prediction) {
    return switch (prediction.rank()) {
      case 2 -> VECTOR;
      case 3 -> LAST_STEP;
      default ->
          throw new IllegalArgumentException(
              "multi-step forecast: the model's output must be [n, h] "
                  + "(seq-to-vector) or [n, steps, h] (seq-to-seq), got "
                  + prediction.shape());
    };
  }

  /** The next values of each of the n series, [n, h] row-major. */
  NDArray nextValues(NDArray prediction) {
    int n = prediction.dim(0);
    switch (this) {
      case VECTOR -> {
        requireRank(prediction, 2, "[n, h]");
        return prediction;
      }
      case LAST_STEP -> {
        requireRank(prediction, 3, "[n, steps, h]");
        int steps = prediction.dim(1);
        int h = prediction.dim(2);
        float[] out = new float[n * h];
        for (int i = 0; i < n; i++) {
          System.arraycopy(prediction.data(), (i * steps + steps - 1) * h, out, i * h, h);
        }
        return NDArray.of(out, n, h);
      }
      default -> {
        requireRank(prediction, 3, "[n, h, 1]");
        if (prediction.dim(2) != 1) {
          throw new IllegalArgumentException(
              "multi-step forecast: a SEQUENCE output must be [n, h, 1] (one value "
                  + "per step), got "
                  + prediction.shape());
        }
        return prediction.reshape(n, prediction.dim(1));
      }
    }
  }

  private void requireRank(NDArray prediction, int rank, String expected) {
    if (prediction.rank() != rank) {
      throw new IllegalArgumentException(
          "multi-step forecast: a "
              + this
              + " model outputs "
              + expected
              + ", got "
              + prediction.shape());
    }
  }
}
