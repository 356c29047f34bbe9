package dev.timestep.data.series;

/**
 * Fills missing values (NaN) by drawing a straight line between the nearest present values on each
 * side: the simple baseline a trained imputer has to beat. Steps are assumed equally spaced (as in
 * the shipped weekly and yearly series). A gap at either end has only one neighbour, so it takes
 * that neighbour's value.
 */
public final class LinearInterpolation {
  private LinearInterpolation() {}

  /** A copy of {@code values} with every NaN filled; fails when no value is present. */
  public static float[] fill(float[] values) {
    if (values == null) {
      throw new IllegalArgumentException("interpolation: expected values, got null");
    }
    float[] out = values.clone();
    int previous = -1;
    for (int i = 0; i <= out.length; i++) {
      if (i < out.length && Float.isNaN(out[i])) {
        continue;
      }
      // out[previous+1 .. i-1] is a gap bounded by present values at previous and i (either may be
      // off the end).
      if (i - previous > 1) {
        fillGap(out, previous, i);
      }
      previous = i;
    }
    return out;
  }

  /** The series with every column filled. */
  public static TimeSeries fill(TimeSeries series) {
    if (series == null) {
      throw new IllegalArgumentException("interpolation: expected a series, got null");
    }
    float[][] out = new float[series.columnCount()][];
    for (int c = 0; c < out.length; c++) {
      try {
        out[c] = fill(series.column(c));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            series.source() + ", column '" + series.columnNames().get(c) + "': " + e.getMessage(),
            e);
      }
    }
    return series.withValues(out);
  }

  private static void fillGap(float[] out, int left, int right) {
    boolean hasLeft = left >= 0;
    boolean hasRight = right < out.length;
    if (!hasLeft && !hasRight) {
      throw new IllegalArgumentException(
          "interpolation: all "
              + out.length
              + " values are missing; nothing to "
              + "interpolate from");
    }
    for (int j = left + 1; j < right; j++) {
      if (hasLeft && hasRight) {
        double w = (double) (j - left) / (right - left);
        out[j] = (float) (out[left] + w * (out[right] - out[left]));
      } else {
        out[j] = hasLeft ? out[left] : out[right];
      }
    }
  }
}
