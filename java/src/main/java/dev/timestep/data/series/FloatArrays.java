package dev.timestep.data.series;

/**
 * Conversions between the float32 values a series stores and the doubles its scores and transforms
 * compute in.
 */
public final class FloatArrays {
  private FloatArrays() {}

  /** {@code v} widened to doubles (NaN stays NaN). */
  public static double[] toDoubles(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** {@code v} rounded to floats, as a series stores them. */
  public static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
