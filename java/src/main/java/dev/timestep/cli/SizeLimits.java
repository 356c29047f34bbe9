package dev.timestep.cli;

import dev.timestep.backend.MemoryLimit;
import dev.timestep.tensor.NDArray;
import java.util.Locale;

/**
 * Refuses option values whose memory cannot fit, before anything is allocated: a count times the
 * bytes each item needs, against half the Java heap (the rest is the model, the series and the
 * JVM), and against the largest Java array.
 */
final class SizeLimits {
  private SizeLimits() {}

  /**
   * Refuses {@code option}'s {@code value} when {@code value} items of {@code bytesEach} bytes (at
   * least; {@code what} they are) do not fit in half the heap.
   */
  static void checkMemory(String option, long value, long bytesEach, String what) {
    long budget = Runtime.getRuntime().maxMemory() / 2;
    long most = budget / bytesEach;
    if (value > most) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s %d needs at least %s for %s (%d bytes "
                  + "each); this Java heap allows about %s for it, so at most %d (give Java more memory with "
                  + "java -Xmx...)",
              option,
              value,
              bytes((double) value * bytesEach),
              what,
              bytesEach,
              bytes(budget),
              most));
    }
  }

  /**
   * Refuses {@code option}'s {@code value} when {@code value x each} elements do not fit one Java
   * array.
   */
  static void checkArray(String option, long value, long each, String what) {
    long most = NDArray.MAX_VALUES / each;
    if (value > most) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s %d needs one array of %d x %d values (%s), "
                  + "more than Java's limit of %d; at most %d",
              option,
              value,
              value,
              each,
              what,
              NDArray.MAX_VALUES,
              most));
    }
  }

  private static String bytes(double b) {
    return b >= 1 << 30
        ? MemoryLimit.gibibytes((long) b)
        : String.format(Locale.ROOT, "%.0f MiB", Math.ceil(b / (1 << 20)));
  }
}
