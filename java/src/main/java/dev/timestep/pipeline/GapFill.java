package dev.timestep.pipeline;

import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.SeriesWindows;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.data.series.Windows;
import java.util.Locale;

/**
 * How training treats gaps in a window's inputs: {@link #LINEAR} fills them by linear interpolation
 * inside the part being windowed (so no later row leaks in), {@link #NONE} skips the window.
 * Targets are never filled: a window whose targets touch a gap is always skipped, so a model is
 * neither trained towards nor scored against an interpolated value.
 */
public enum GapFill {
  /** Inputs filled by linear interpolation within their part. */
  LINEAR,
  /** Windows that touch a gap are skipped. */
  NONE;

  /**
   * What filling did to one part.
   *
   * @param windows the pairs, inputs filled and targets as observed
   * @param filledValues missing values given a value (all columns)
   * @param values all values of the part (rows x columns)
   * @param windowsTouchingFill kept windows with at least one filled input
   */
  public record Result(Windows windows, int filledValues, int values, int windowsTouchingFill) {
    /** Windows skipped or kept with a filled input, as a share of every candidate window. */
    public double lostOrImputedShare() {
      return windows.candidates() == 0
          ? 0
          : (windows.skippedForMissing() + windowsTouchingFill) / (double) windows.candidates();
    }
  }

  /** "linear" or "none" (any case). */
  public static GapFill named(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "linear" -> LINEAR;
      case "none" -> NONE;
      default ->
          throw new IllegalArgumentException(
              "unknown gap fill '" + name + "'; choose linear or none");
    };
  }

  /** The windows of {@code part} as this mode says. */
  public Result windows(TimeSeries part, WindowSpec spec) {
    int values = part.length() * part.columnCount();
    if (this == NONE || part.missingCount() == 0) {
      return new Result(SeriesWindows.build(part, spec), 0, values, 0);
    }
    float[][] filled = new float[part.columnCount()][];
    int filledValues = 0;
    for (int c = 0; c < filled.length; c++) {
      float[] column = part.column(c);
      boolean anyPresent = part.missingCount(c) < part.length();
      // a column with no value at all has nothing to draw a line from: it stays missing
      filled[c] = anyPresent ? LinearInterpolation.fill(column) : column;
      filledValues += anyPresent ? part.missingCount(c) : 0;
    }
    TimeSeries inputs = part.withValues(filled);
    Windows w = SeriesWindows.build(inputs, part, spec);
    return new Result(w, filledValues, values, touchingFill(part, inputs, spec));
  }

  /** Kept windows (stride 1) with a missing input in {@code raw} that {@code inputs} filled. */
  private static int touchingFill(TimeSeries raw, TimeSeries inputs, WindowSpec spec) {
    int count = 0;
    int target = spec.target();
    int firstTarget = spec.layout() == WindowSpec.Layout.SEQUENCE ? 1 : spec.window();
    for (int s = 0; s + spec.span() <= raw.length(); s++) {
      boolean touched = false;
      boolean complete = true;
      for (int r = s; r < s + spec.window() && complete; r++) {
        for (int c = 0; c < raw.columnCount(); c++) {
          touched |= raw.isMissing(r, c);
          complete &= !inputs.isMissing(r, c);
        }
      }
      for (int r = s + firstTarget; r < s + spec.span() && complete; r++) {
        complete = !raw.isMissing(r, target);
      }
      count += touched && complete ? 1 : 0;
    }
    return count;
  }
}
