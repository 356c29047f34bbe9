package dev.timestep.data.series;

import dev.timestep.data.Dataset;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one long series, or many, into (X, Y) training pairs as a {@link WindowSpec} says. A window
 * whose inputs or targets touch a missing value (NaN) is skipped and counted in {@link
 * Windows#skippedForMissing()}: gaps are never filled here (see {@link LinearInterpolation} or a
 * trained imputer for that).
 *
 * <pre>{@code
 * Windows w = SeriesWindows.build(RealSeries.sunspots(), WindowSpec.vector(20, 5));
 * model.fit(w.dataset().x(), w.dataset().y(), options);
 * }</pre>
 */
public final class SeriesWindows {
  private SeriesWindows() {}

  /** Pairs from one series; X uses all its columns. */
  public static Windows build(TimeSeries series, WindowSpec spec) {
    if (series == null) {
      throw new IllegalArgumentException("windows: expected a series, got null");
    }
    return build(series.toArray(), spec);
  }

  /**
   * Pairs whose inputs come from {@code inputs} and whose targets from {@code targets}: the same
   * rows and columns, e.g. a series with its gaps filled for the inputs and as observed for the
   * targets, so that no window learns from (or is scored on) a filled target. A window is skipped
   * when one of its inputs in {@code inputs} or one of its targets in {@code targets} is missing.
   */
  public static Windows build(TimeSeries inputs, TimeSeries targets, WindowSpec spec) {
    if (inputs == null || targets == null) {
      throw new IllegalArgumentException("windows: expected input and target series, got null");
    }
    if (inputs.length() != targets.length()
        || !inputs.columnNames().equals(targets.columnNames())) {
      throw new IllegalArgumentException(
          "windows: the input series ("
              + inputs.length()
              + " rows of "
              + inputs.columnNames()
              + ") and the target series ("
              + targets.length()
              + " rows of "
              + targets.columnNames()
              + ") must have the same rows and columns");
    }
    return build(
        List.of(inputs.toArray().data()),
        List.of(targets.toArray().data()),
        List.of(inputs.length()),
        inputs.columnCount(),
        spec);
  }

  /** Pairs from many series with the same columns (lengths may differ), in series order. */
  public static Windows build(List<TimeSeries> series, WindowSpec spec) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("windows: expected at least one series, got none");
    }
    List<float[]> rows = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    int features = series.get(0).columnCount();
    for (int i = 0; i < series.size(); i++) {
      TimeSeries s = series.get(i);
      if (s.columnCount() != features) {
        throw new IllegalArgumentException(
            "windows: series "
                + i
                + " ("
                + s.source()
                + ") has "
                + s.columnCount()
                + " columns but series 0 has "
                + features);
      }
      rows.add(s.toArray().data());
      lengths.add(s.length());
    }
    return build(rows, lengths, features, spec);
  }

  /**
   * Pairs from an array: [steps] (one univariate series), [steps, features] (one series) or
   * [series, steps, features] (many series of equal length, e.g. the chapter's generator).
   */
  public static Windows build(NDArray series, WindowSpec spec) {
    if (series == null) {
      throw new IllegalArgumentException("windows: expected a series array, got null");
    }
    switch (series.rank()) {
      case 1:
        return build(List.of(series.data()), List.of(series.dim(0)), 1, spec);
      case 2:
        return build(List.of(series.data()), List.of(series.dim(0)), series.dim(1), spec);
      case 3:
        {
          int count = series.dim(0);
          List<float[]> rows = new ArrayList<>();
          List<Integer> lengths = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            rows.add(series.rows(i, i + 1).data());
            lengths.add(series.dim(1));
          }
          return build(rows, lengths, series.dim(2), spec);
        }
      default:
        throw new IllegalArgumentException(
            "windows: expected a series shaped [steps], [steps, features] or "
                + "[series, steps, features], got "
                + series.shape());
    }
  }

  private static Windows build(
      List<float[]> series, List<Integer> lengths, int features, WindowSpec spec) {
    return build(series, series, lengths, features, spec);
  }

  private static Windows build(
      List<float[]> series,
      List<float[]> targets,
      List<Integer> lengths,
      int features,
      WindowSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("windows: expected a WindowSpec, got null");
    }
    if (spec.target() >= features) {
      throw new IllegalArgumentException(
          "windows: target column "
              + spec.target()
              + " does not exist; the series has "
              + features
              + " column(s)");
    }
    for (int i = 0; i < series.size(); i++) {
      checkLength(lengths.get(i), spec, series.size() == 1 ? "the series" : "series " + i);
    }
    // First pass: which candidate starts have no missing input or target, so arrays are sized once.
    List<int[]> kept = new ArrayList<>();
    int candidates = 0;
    for (int i = 0; i < series.size(); i++) {
      // long: a huge stride must end the loop, not wrap around to a negative start
      for (long s = 0; s + spec.span() <= lengths.get(i); s += spec.stride()) {
        candidates++;
        if (complete(series.get(i), targets.get(i), features, (int) s, spec)) {
          kept.add(new int[] {i, (int) s});
        }
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(
          "windows: all "
              + candidates
              + " windows of "
              + spec.span()
              + " steps touch a missing value; fill the gaps first (e.g. LinearInterpolation.fill)");
    }
    int n = kept.size();
    int w = spec.window();
    int h = spec.horizon();
    float[] x = new float[n * w * features];
    boolean sequence = spec.layout() == WindowSpec.Layout.SEQUENCE;
    float[] y = new float[sequence ? n * w * h : n * h];
    for (int j = 0; j < n; j++) {
      float[] inputRows = series.get(kept.get(j)[0]);
      float[] rows = targets.get(kept.get(j)[0]);
      int s = kept.get(j)[1];
      System.arraycopy(inputRows, s * features, x, j * w * features, w * features);
      if (sequence) {
        for (int t = 0; t < w; t++) {
          for (int k = 1; k <= h; k++) {
            y[(j * w + t) * h + k - 1] = rows[(s + t + k) * features + spec.target()];
          }
        }
      } else {
        for (int k = 1; k <= h; k++) {
          y[j * h + k - 1] = rows[(s + w - 1 + k) * features + spec.target()];
        }
      }
    }
    NDArray xs = NDArray.of(x, n, w, features);
    NDArray ys = sequence ? NDArray.of(y, n, w, h) : NDArray.of(y, n, h);
    return new Windows(new Dataset(xs, ys), candidates, candidates - n);
  }

  private static void checkLength(int length, WindowSpec spec, String which) {
    if (spec.window() > length) {
      throw new IllegalArgumentException(
          "window of "
              + spec.window()
              + " steps is longer than "
              + which
              + " ("
              + length
              + " steps)");
    }
    if (spec.span() > length) {
      throw new IllegalArgumentException(
          "window "
              + spec.window()
              + " + horizon "
              + spec.horizon()
              + " needs "
              + spec.span()
              + " steps but "
              + which
              + " has only "
              + length);
    }
  }

  // Inputs use every column of rows s..s+w-1; targets only the target column: of the rows after
  // the window, and for the sequence layout also of the input rows after the first.
  private static boolean complete(
      float[] rows, float[] targets, int features, int s, WindowSpec spec) {
    for (int i = s * features; i < (s + spec.window()) * features; i++) {
      if (Float.isNaN(rows[i])) {
        return false;
      }
    }
    int firstTarget = spec.layout() == WindowSpec.Layout.SEQUENCE ? s + 1 : s + spec.window();
    for (int r = firstTarget; r < s + spec.span(); r++) {
      if (Float.isNaN(targets[r * features + spec.target()])) {
        return false;
      }
    }
    return true;
  }
}
