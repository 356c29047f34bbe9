package dev.timestep.benchmarks;

import dev.timestep.tensor.NDArray;
import java.util.SplittableRandom;

/** Seeded random inputs and targets for the model benchmarks. */
final class BenchmarkData {
  private BenchmarkData() {}

  /** Uniform values in [-0.5, 0.5) of the given shape, seeded by their count. */
  static NDArray random(int... dims) {
    return seeded(count(dims), dims);
  }

  /** Uniform values in [-0.5, 0.5) of the given shape from the given seed. */
  static NDArray seeded(long seed, int... dims) {
    int n = count(dims);
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() - 0.5);
    }
    return NDArray.of(v, dims);
  }

  private static int count(int... dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }
}
