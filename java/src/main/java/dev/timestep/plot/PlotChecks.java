package dev.timestep.plot;

import java.util.Arrays;

/** Checks on the arrays a plot is given, with messages that name the array and the bad entry. */
final class PlotChecks {
  private PlotChecks() {}

  /** A defensive copy of a present, non-empty array. */
  static double[] copy(String what, double[] values) {
    if (values == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (values.length == 0) {
      throw new IllegalArgumentException(what + " is empty: a plot needs at least one value");
    }
    return values.clone();
  }

  static void sameLength(String what, double[] values, String other, double[] reference) {
    if (values.length != reference.length) {
      throw new IllegalArgumentException(
          what
              + " has "
              + values.length
              + " values but "
              + other
              + " has "
              + reference.length
              + "; they must have the same length");
    }
  }

  /** Finite values or NaN (a missing value, drawn as a gap), and at least one finite value. */
  static void finiteOrMissing(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isInfinite(values[i])) {
        throw new IllegalArgumentException(
            what
                + "["
                + i
                + "] is "
                + values[i]
                + "; only finite values or NaN (missing) can be plotted");
      }
    }
    if (Arrays.stream(values).allMatch(Double::isNaN)) {
      throw new IllegalArgumentException(
          what + " has no value to plot: all " + values.length + " are NaN (missing)");
    }
  }

  /** Every value finite: for axes, forecasts and spreads, where a gap would mean nothing. */
  static void finite(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(
            what + "[" + i + "] is " + values[i] + "; every value must be finite");
      }
    }
  }

  static void nonNegative(String what, double[] values) {
    finite(what, values);
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        throw new IllegalArgumentException(
            what + "[" + i + "] is " + values[i] + "; it must be >= 0");
      }
    }
  }

  static void strictlyIncreasing(String what, double[] values) {
    finite(what, values);
    for (int i = 1; i < values.length; i++) {
      if (!(values[i] > values[i - 1])) {
        throw new IllegalArgumentException(
            what
                + " must increase strictly, but "
                + what
                + "["
                + (i - 1)
                + "] = "
                + values[i - 1]
                + " and "
                + what
                + "["
                + i
                + "] = "
                + values[i]);
      }
    }
  }

  /** A log axis cannot show zero or negative values. */
  static void positiveForLog(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] <= 0) {
        throw new IllegalArgumentException(
            "a log-scale axis needs positive values, but "
                + what
                + "["
                + i
                + "] is "
                + values[i]
                + "; use a linear scale");
      }
    }
  }

  static void text(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null (use \"\" for none)");
    }
  }
}
