package dev.timestep.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Replaces a file all at once: the new content goes to a temporary file in the same
 * directory, is forced to disk, then renamed over the target in one atomic step. Readers see
 * the old file or the new one, never a mix; a write that fails midway removes its temporary
 * file and leaves the old file as it was.
 */
final class AtomicFiles {
  /** Writes a file's whole content to a stream it does not close. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically. {@code decorate} wraps the stream to the temporary file
   * (the identity outside tests, which use it to inject a failure midway).
   */
  static void write(Path target, Content content, UnaryOperator<OutputStream> decorate) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("file: the directory of " + target + " does not exist (" + dir + ")");
    }
    if (Files.isDirectory(absolute)) {
      throw new IllegalArgumentException("file: " + target + " is a directory, expected a file path");
    }
    // Same directory, so the rename stays on one file system; a dot name so listings hide it.
    byte[] random = new byte[6];
    ThreadLocalRandom.current().nextBytes(random);
    Path tmp = dir.resolve("." + absolute.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(decorate.apply(Channels.newOutputStream(ch)), 1 << 16);
        content.writeTo(out);
        out.flush();
        ch.force(true); // the bytes are on disk before the rename makes them the target
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically on this file system: " + e.getMessage(), e);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
  }

  /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The file's content is already durable; only the rename's durability is best effort here.
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // The original failure is the one worth reporting; a leftover ".tmp" is harmless.
    }
  }
}
