package dev.timestep.backend;

/** Reads a {@link BlockCache}'s capacity, in bytes, from a system property. */
public final class CacheCapacity {
  private CacheCapacity() {}

  /**
   * The capacity {@code -D<property>} asks for, or {@code defaultBytes} when it is unset or blank.
   *
   * @throws IllegalArgumentException when the property is not a whole number of bytes {@code >= 0}
   */
  public static long fromProperty(String property, long defaultBytes) {
    return parse(property, System.getProperty(property), defaultBytes);
  }

  /** {@link #fromProperty} on a given text (null or blank: the default). */
  public static long parse(String property, String text, long defaultBytes) {
    if (defaultBytes < 0) {
      throw new IllegalArgumentException(
          "default capacity of -D" + property + " must be >= 0, got " + defaultBytes);
    }
    if (text == null || text.isBlank()) {
      return defaultBytes;
    }
    try {
      long bytes = Long.parseLong(text.trim());
      if (bytes < 0) {
        throw new NumberFormatException("negative");
      }
      return bytes;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D"
              + property
              + " must be a number of bytes >= 0 (0 turns the cache off), got '"
              + text
              + "'",
          e);
    }
  }
}
