package dev.timestep.forecast;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;

/** Models with hand-set weights whose forecasts are known exactly, for the forecasting tests. */
final class LinearModels {
  private LinearModels() {}

  /** Sets a parameter to the given values. */
  static void set(Sequential m, int index, float[] values) {
    Parameter p = m.parameters().get(index);
    m.backend().upload(new NDArray(p.shape(), values), p.value());
  }

  /**
   * Flatten → Dense(h·F) over windows of {@code steps} steps of F features, predicting k steps
   * ahead (k = 1..h) of each feature by straight-line extrapolation from the last two values:
   * {@code last + k·(last - previous)}. Output [n, h·F] (h-major, then feature).
   */
  static Sequential extrapolator(int steps, int features, int h) {
    Sequential m =
        new Sequential(new Flatten(), new Dense(h * features)).backend(ReferenceBackend.float32());
    m.build(Shape.of(steps, features));
    int outputs = h * features;
    float[] kernel = new float[steps * features * outputs];
    for (int k = 1; k <= h; k++) {
      for (int f = 0; f < features; f++) {
        int out = (k - 1) * features + f;
        kernel[((steps - 1) * features + f) * outputs + out] = 1 + k;
        kernel[((steps - 2) * features + f) * outputs + out] = -k;
      }
    }
    set(m, 0, kernel);
    return m;
  }

  /** The value of series i, feature f at step t: a straight line in t (slope 0.25 or -0.5). */
  static float line(int series, int feature, int step) {
    return 0.3f * series + (feature % 2 == 0 ? 0.25f : -0.5f) * step + feature;
  }

  static NDArray lines(int n, int steps, int features) {
    float[] v = new float[n * steps * features];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < steps; t++) {
        for (int f = 0; f < features; f++) {
          v[(i * steps + t) * features + f] = line(i, f, t);
        }
      }
    }
    return NDArray.of(v, n, steps, features);
  }
}
