package dev.timestep.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary files of atomic writes: {@code .<target name>.<pid>-<12 hex>.tmp} beside the
 * target. The writer's process id is in the name so that a later write can tell a temporary file
 * left by a killed process (its process is gone: removed) from one another process is writing right
 * now (kept).
 */
final class TempFiles {
  /** The longest file name, in bytes, that common Linux and macOS file systems take. */
  static final int NAME_MAX = 255;

  private static final long PID = ProcessHandle.current().pid();
  private static final int RANDOM_BYTES = 6;

  private TempFiles() {}

  /** A fresh temporary file name for {@code targetName}, written by this process. */
  static String newName(String targetName) {
    byte[] random = new byte[RANDOM_BYTES];
    ThreadLocalRandom.current().nextBytes(random);
    return name(targetName, PID, HexFormat.of().formatHex(random));
  }

  /** The temporary file name for {@code targetName} written by process {@code pid}. */
  static String name(String targetName, long pid, String hex) {
    return "." + targetName + "." + pid + "-" + hex + ".tmp";
  }

  /** Bytes a temporary file name of this process adds to its target's name. */
  static int overhead() {
    return name("", PID, "0".repeat(2 * RANDOM_BYTES)).getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether {@code targetName}'s temporary files still fit in {@link #NAME_MAX} bytes. */
  static boolean fits(String targetName) {
    return targetName.getBytes(StandardCharsets.UTF_8).length + overhead() <= NAME_MAX;
  }

  /**
   * Deletes the temporary files of {@code targetName} in {@code dir} whose writing process no
   * longer runs (left by a kill or a crash). Those of live processes, this one included, stay: they
   * may be writes in progress. Best effort: returns how many were deleted.
   */
  static int removeStale(Path dir, String targetName) {
    Pattern own =
        Pattern.compile(
            Pattern.quote("." + targetName + ".")
                + "(\\d{1,18})-[0-9a-f]{"
                + 2 * RANDOM_BYTES
                + "}\\.tmp");
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        Matcher m = own.matcher(entry.getFileName().toString());
        if (m.matches() && !isRunning(Long.parseLong(m.group(1))) && Files.deleteIfExists(entry)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // A folder that cannot be listed, or a file that cannot be deleted, should not stop a save.
    }
    return removed;
  }

  private static boolean isRunning(long pid) {
    return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
