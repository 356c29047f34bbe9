package dev.timestep.pipeline;

import dev.timestep.data.Dataset;
import dev.timestep.tensor.NDArray;

/**
 * Windows taken relative to their own last value: the target column of every window, and its
 * targets, minus the window's last target value. A model then learns how a series moves from where
 * it is rather than its absolute level, so a series that trends beyond its training range (CO2
 * rises every year) is forecast as well as one that does not. Forecasts add the level back.
 */
final class LevelShift {
  private LevelShift() {}

  /** Each window's last value of column {@code target}: X [N, w, F] -> [N]. */
  static float[] lastValues(NDArray x, int target) {
    int n = x.dim(0);
    int w = x.dim(1);
    int f = x.dim(2);
    float[] last = new float[n];
    for (int i = 0; i < n; i++) {
      last[i] = x.data()[((i + 1) * w - 1) * f + target];
    }
    return last;
  }

  /** X with {@code levels[i]} subtracted from column {@code target} of window i. */
  static NDArray shiftInputs(NDArray x, int target, float[] levels) {
    int n = x.dim(0);
    int w = x.dim(1);
    int f = x.dim(2);
    float[] out = x.data().clone();
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < w; t++) {
        out[(i * w + t) * f + target] -= levels[i];
      }
    }
    return NDArray.of(out, x.shape().dims());
  }

  /** Every value of sample i of {@code a} (any shape [N, ...]) plus {@code sign * levels[i]}. */
  static NDArray addPerSample(NDArray a, float[] levels, float sign) {
    int n = a.dim(0);
    int row = a.data().length / Math.max(1, n);
    float[] out = a.data().clone();
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < row; k++) {
        out[i * row + k] += sign * levels[i];
      }
    }
    return NDArray.of(out, a.shape().dims());
  }

  /** Training pairs relative to each window's last target value (inputs and targets alike). */
  static Dataset shift(Dataset d, int target) {
    float[] levels = lastValues(d.x(), target);
    return new Dataset(shiftInputs(d.x(), target, levels), addPerSample(d.y(), levels, -1));
  }
}
