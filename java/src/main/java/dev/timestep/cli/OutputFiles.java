package dev.timestep.cli;

import dev.timestep.io.AtomicFiles;
import dev.timestep.plot.PngFile;
import java.nio.file.Path;

/** A command's output paths, checked before any work so that a bad one fails at once. */
final class OutputFiles {
  /** The help footer's paragraph; README says the same. */
  static final String HELP =
      "%nOutput files are written whole or not at all (a temporary .<name>.<pid>-<random>.tmp "
          + "beside the file, renamed over it; one left by a killed run is removed by the next write of that file). "
          + "An existing regular file is replaced; a symbolic link is written through (the file it points to is "
          + "replaced, the link stays); a directory, device (/dev/null), FIFO, socket or dangling link is refused.%n";

  private OutputFiles() {}

  /** Refuses {@code file} (given as {@code option}) when a write to it would be refused. */
  static void check(String option, Path file) {
    naming(option, () -> AtomicFiles.checkTarget(file));
  }

  /** As {@link #check}, for a plot: its name must also end in .png. */
  static void checkPng(String option, Path png) {
    naming(option, () -> PngFile.checkTarget(png));
  }

  private static void naming(String option, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + ": " + e.getMessage().replaceFirst("^file: ", ""), e);
    }
  }
}
