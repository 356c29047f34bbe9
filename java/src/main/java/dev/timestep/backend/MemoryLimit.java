package dev.timestep.backend;

import dev.timestep.tensor.Shape;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The most float32 values one tensor can take on a backend, and what sets that limit (for
 * messages). {@link AbstractBackend} refuses a larger allocation before any memory is requested, so
 * a huge shape is an {@link IllegalArgumentException} with its size and the limit rather than an
 * OutOfMemoryError from the allocator.
 *
 * @param values the most values one tensor may hold
 * @param source what sets the limit, e.g. "this machine's 15.6 GiB of memory"
 */
public record MemoryLimit(long values, String source) {
  public MemoryLimit {
    if (values < 1 || source == null) {
      throw new IllegalArgumentException(
          "memory limit: values must be >= 1 and a source given, got " + values);
    }
  }

  /** A limit of {@code bytes} of memory, named {@code what} ("this machine's memory"). */
  public static MemoryLimit ofBytes(long bytes, String what) {
    return new MemoryLimit(Math.max(1, bytes / Float.BYTES), what + " (" + gibibytes(bytes) + ")");
  }

  /**
   * This machine's physical memory (a container's limit where the JVM sees one), or no limit beyond
   * what a long can count when the JVM does not say.
   */
  public static MemoryLimit physicalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        && os.getTotalMemorySize() > 0) {
      return ofBytes(os.getTotalMemorySize(), "this machine's memory");
    }
    return new MemoryLimit(Long.MAX_VALUE / Float.BYTES, "what a long can count");
  }

  /**
   * Throws {@link IllegalArgumentException} naming {@code op}, the shape, the bytes it needs and
   * this limit when a float32 tensor of {@code shape} does not fit on {@code backend}.
   */
  void require(String op, Shape shape, String backend) {
    long n = shape.size();
    if (n <= values) {
      return;
    }
    String needs =
        n > Long.MAX_VALUE / Float.BYTES
            ? "more than " + Long.MAX_VALUE + " bytes"
            : n * Float.BYTES + " bytes (" + gibibytes(n * Float.BYTES) + ")";
    throw new IllegalArgumentException(
        op
            + ": shape "
            + shape
            + " needs "
            + needs
            + ", more than the "
            + backend
            + " backend can hold in one tensor: "
            + values
            + " float32 values, set by "
            + source);
  }

  /** Bytes as GiB with one decimal, for messages. */
  public static String gibibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
