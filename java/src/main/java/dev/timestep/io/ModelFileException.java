package dev.timestep.io;

/**
 * A model file that cannot be read: truncated, corrupted, not a model file, written by another
 * format version, or describing a model this build cannot rebuild. The message is one line that
 * names the file and the problem. (Failures of the file system itself, such as a missing file, are
 * {@link java.io.IOException}s instead.)
 */
public final class ModelFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelFileException(String message) {
    super(oneLine(message));
  }

  public ModelFileException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** Messages quote parser errors, which span lines; a one-line message reads well in a CLI. */
  private static String oneLine(String message) {
    return message == null ? null : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
