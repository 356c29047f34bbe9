package dev.timestep.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.SplittableRandom;

/**
 * Seeded random inputs and a tolerance-aware array comparison, shared by the backend and autodiff
 * tests. Every random value comes from a caller-owned {@link SplittableRandom} so a failing case
 * can be reproduced from its seed.
 */
public final class TestArrays {
  private TestArrays() {}

  /** Values drawn uniformly from [lo, hi). */
  public static NDArray uniform(SplittableRandom random, double lo, double hi, int... dims) {
    Shape shape = Shape.of(dims);
    float[] data = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    return new NDArray(shape, data);
  }

  /** {@code count} indices in [0, bound), repeats allowed (gathers must handle duplicates). */
  public static int[] indices(SplittableRandom random, int count, int bound) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = random.nextInt(bound);
    }
    return out;
  }

  /**
   * Fails unless {@code |actual[i] - expected[i]| <= atol + rtol * |expected[i]|} for every i. NaN
   * anywhere counts as a mismatch (the comparison is written so NaN never passes). The message
   * names the worst element so a failure says where and by how much.
   */
  public static void assertAllClose(
      String what, float[] expected, float[] actual, double atol, double rtol) {
    assertEquals(expected.length, actual.length, what + ": length");
    int worst = -1;
    double worstExcess = 0;
    int bad = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs((double) actual[i] - expected[i]);
      double allowed = atol + rtol * Math.abs((double) expected[i]);
      if (!(diff <= allowed)) {
        bad++;
        double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - allowed;
        if (worst < 0 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    }
    if (worst >= 0) {
      fail(
          String.format(
              "%s: %d of %d elements differ; worst at flat index %d: expected %s but was %s"
                  + " (allowed %.3g)",
              what,
              bad,
              expected.length,
              worst,
              expected[worst],
              actual[worst],
              atol + rtol * Math.abs((double) expected[worst])));
    }
  }

  /**
   * {@link #assertAllClose(String, float[], float[], double, double)} for double arrays (float64
   * checks).
   */
  public static void assertAllClose(
      String what, double[] expected, double[] actual, double atol, double rtol) {
    assertEquals(expected.length, actual.length, what + ": length");
    int worst = -1;
    double worstExcess = 0;
    int bad = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      double allowed = atol + rtol * Math.abs(expected[i]);
      if (!(diff <= allowed)) {
        bad++;
        double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - allowed;
        if (worst < 0 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    }
    if (worst >= 0) {
      fail(
          String.format(
              "%s: %d of %d elements differ; worst at flat index %d: expected %s but was %s"
                  + " (allowed %.3g)",
              what,
              bad,
              expected.length,
              worst,
              expected[worst],
              actual[worst],
              atol + rtol * Math.abs(expected[worst])));
    }
  }
}
