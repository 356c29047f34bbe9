package dev.timestep.spark.bench;

import java.util.SplittableRandom;

/** Monthly series of many levels and phases: series i is the same on every machine. */
final class SyntheticSeries {
  private SyntheticSeries() {}

  /** {@code n} values of series {@code i}: a yearly season around its own level, with noise. */
  static float[] of(long i, int n) {
    SplittableRandom r = new SplittableRandom(i);
    double level = 10 + (i % 997);
    float[] v = new float[n];
    for (int t = 0; t < n; t++) {
      v[t] =
          (float)
              (level * (1 + 0.1 * Math.sin(2 * Math.PI * (t + i) / 12))
                  + level * 0.01 * (r.nextDouble() - 0.5));
    }
    return v;
  }
}
