package dev.timestep.data;

import dev.timestep.tensor.NDArray;
import java.util.SplittableRandom;

/**
 * The chapter's synthetic series: two sine waves of random frequency and phase plus uniform noise,
 * {@code 0.5 sin((t - o1)(10 f1 + 10)) + 0.2 sin((t - o2)(20 f2 + 20)) + 0.1 (u - 0.5)}, with t =
 * linspace(0, 1, steps). Seeded, so a seed always gives the same series.
 */
public final class SeriesGenerator {
  private SeriesGenerator() {}

  /** {@code count} series of {@code steps} values, shape [count, steps, 1]. */
  public static NDArray generate(int count, int steps, long seed) {
    if (count < 1 || steps < 2) {
      throw new IllegalArgumentException(
          "generate: need at least 1 series of at least 2 steps, got " + count + " x " + steps);
    }
    if ((long) count * steps > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "generate: "
              + count
              + " series x "
              + steps
              + " steps is more values than"
              + " one array can hold ("
              + (Integer.MAX_VALUE - 8)
              + ")");
    }
    SplittableRandom random = new SplittableRandom(seed);
    // Draw order follows the book: freq1, freq2, offsets1, offsets2 (each per series), then noise.
    double[] f1 = uniform(random, count);
    double[] f2 = uniform(random, count);
    double[] o1 = uniform(random, count);
    double[] o2 = uniform(random, count);
    float[] out = new float[Math.multiplyExact(count, steps)];
    for (int s = 0; s < count; s++) {
      for (int i = 0; i < steps; i++) {
        double t = (double) i / (steps - 1);
        double v =
            0.5 * Math.sin((t - o1[s]) * (f1[s] * 10 + 10))
                + 0.2 * Math.sin((t - o2[s]) * (f2[s] * 20 + 20));
        out[s * steps + i] = (float) v;
      }
    }
    for (int k = 0; k < out.length; k++) {
      out[k] += (float) (0.1 * (random.nextDouble() - 0.5));
    }
    return NDArray.of(out, count, steps, 1);
  }

  private static double[] uniform(SplittableRandom random, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble();
    }
    return v;
  }
}
