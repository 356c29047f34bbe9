package dev.timestep.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The rules for a path an atomic write may replace: nothing there yet, or a regular file; a
 * symbolic link is followed to its target (which the write replaces, keeping the link); a
 * directory, device, FIFO or socket, a dangling link, a folder that is a file, or a name too long
 * for the temporary file beside it is refused.
 */
final class OutputTarget {
  private OutputTarget() {}

  /** The file a write to {@code target} replaces; see {@link AtomicFiles#checkTarget}. */
  static Path resolve(Path target) {
    if (target == null) {
      throw new IllegalArgumentException("file: expected an output path, got null");
    }
    Path absolute = target.toAbsolutePath();
    Path name = absolute.getFileName();
    if (name == null || name.toString().equals(".") || name.toString().equals("..")) {
      throw new IllegalArgumentException(
          "file: " + target + " names a directory, expected a file path");
    }
    Path file = Files.isSymbolicLink(absolute) ? linkTarget(target, absolute) : absolute;
    refuseNonRegular(target, file);
    if (!TempFiles.fits(file.getFileName().toString())) {
      throw new IllegalArgumentException(
          "file: the name of "
              + target
              + " is too long: "
              + file.getFileName()
                  .toString()
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                  .length
              + " bytes, and its temporary file needs "
              + TempFiles.overhead()
              + " more within the file system's "
              + TempFiles.NAME_MAX
              + "; use a name of at most "
              + (TempFiles.NAME_MAX - TempFiles.overhead())
              + " bytes");
    }
    refuseFileAsFolder(target, file.getParent());
    return file;
  }

  /** Refuses anything at {@code file} but a regular file (checked without following links). */
  static void refuseNonRegular(Path target, Path file) {
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "file: " + target + " is a directory, expected a file path");
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "file: "
              + target
              + " exists and is not a regular file (a device, FIFO or "
              + "socket); refusing to replace it");
    }
  }

  private static Path linkTarget(Path target, Path link) {
    try {
      return link.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "file: "
              + target
              + " is a symbolic link to a file that does not exist; "
              + "remove the link or write elsewhere",
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "file: "
              + target
              + " is a symbolic link that cannot be followed ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /** The nearest existing folder above the file must be a folder, not a file. */
  private static void refuseFileAsFolder(Path target, Path folder) {
    for (Path p = folder; p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) {
        return;
      }
      if (Files.exists(p)) {
        throw new IllegalArgumentException(
            "file: cannot write " + target + ": " + p + " is a file, not a folder");
      }
    }
  }
}
