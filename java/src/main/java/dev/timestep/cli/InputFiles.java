package dev.timestep.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Input paths given on the command line: an existing regular file, or a message naming the option.
 */
final class InputFiles {
  private InputFiles() {}

  /**
   * Refuses a missing file, a directory, a device or a FIFO given as {@code option}; {@code what}
   * it should be.
   */
  static void check(String option, Path file, String what) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(option + " " + file + " is a directory; expected " + what);
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(option + " " + file + ": file not found");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          option
              + " "
              + file
              + " is not a regular file (a device, FIFO or socket); "
              + "expected "
              + what);
    }
  }
}
