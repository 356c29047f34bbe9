package dev.timestep.data.series;

/**
 * How to cut a long series into training pairs. With window w, horizon h and target column c, a
 * window starting at row s gives {@code X = series[s .. s+w-1, all columns]} and
 *
 * <ul>
 *   <li>{@link Layout#VECTOR} (seq-to-vector): {@code Y[k-1] = series[s+w-1+k, c]} for k = 1..h, so
 *       Y is [N, h];
 *   <li>{@link Layout#SEQUENCE} (seq-to-seq, the chapter's rows 10-15): at every step t of the
 *       window {@code Y[t, k-1] = series[s+t+k, c]}, so Y is [N, w, h].
 * </ul>
 *
 * Both need rows s .. s+w+h-1; consecutive windows start {@code stride} rows apart.
 *
 * @param layout the target shape
 * @param window input steps per sample, at least 1
 * @param horizon steps to forecast, at least 1
 * @param stride rows between the starts of consecutive windows, at least 1
 * @param target the column the targets come from (the inputs use every column)
 */
public record WindowSpec(Layout layout, int window, int horizon, int stride, int target) {
  /** The shape of the targets. */
  public enum Layout {
    /** Y [N, horizon]: the next {@code horizon} values after the window. */
    VECTOR,
    /** Y [N, window, horizon]: the next {@code horizon} values after every step. */
    SEQUENCE
  }

  public WindowSpec {
    if (layout == null) {
      throw new IllegalArgumentException(
          "window spec: layout must be VECTOR or SEQUENCE, got null");
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1 step, got " + window);
    }
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "horizon must be at least 1 step, got "
              + horizon
              + " (a horizon of 0 forecasts nothing)");
    }
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be at least 1 row, got " + stride);
    }
    if (target < 0) {
      throw new IllegalArgumentException("target column must be >= 0, got " + target);
    }
    if ((long) window + horizon > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "window "
              + window
              + " + horizon "
              + horizon
              + " is more than the "
              + Integer.MAX_VALUE
              + " steps a series can have");
    }
  }

  /** Seq-to-vector pairs, stride 1, target column 0. */
  public static WindowSpec vector(int window, int horizon) {
    return new WindowSpec(Layout.VECTOR, window, horizon, 1, 0);
  }

  /** Seq-to-seq pairs, stride 1, target column 0. */
  public static WindowSpec sequence(int window, int horizon) {
    return new WindowSpec(Layout.SEQUENCE, window, horizon, 1, 0);
  }

  public WindowSpec withStride(int rows) {
    return new WindowSpec(layout, window, horizon, rows, target);
  }

  public WindowSpec withTarget(int column) {
    return new WindowSpec(layout, window, horizon, stride, column);
  }

  /** Rows one window needs: {@code window + horizon}. */
  public int span() {
    return window + horizon;
  }
}
