package dev.timestep.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Replaces a file all at once; every file Timestep writes (models, plots, tables, CSVs) goes
 * through here. The new content goes to a temporary file in the same directory, is forced to disk,
 * then renamed over the target in one atomic step. Readers see the old file or the new one, never a
 * mix; a write that fails midway removes its temporary file and leaves the old file as it was.
 *
 * <ul>
 *   <li>The target may be missing or a regular file. A symbolic link is written through: the file
 *       it points to is replaced and the link stays; a link to nothing is refused.
 *   <li>A directory, device ({@code /dev/null}), FIFO or socket is refused, never replaced.
 *   <li>Temporary files are named {@code .<name>.<pid>-<random>.tmp}. One left behind by a process
 *       that was killed mid-write is deleted by the next write of the same target; those of
 *       processes still running are left alone.
 * </ul>
 *
 * <pre>{@code
 * AtomicFiles.checkTarget(out);              // before any long work: fails fast on a bad path
 * ...
 * AtomicFiles.write(out, stream -> stream.write(bytes));
 * }</pre>
 */
public final class AtomicFiles {
  /** Writes a file's whole content to a stream; closing the stream is not needed (and harmless). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Checks that a write to {@code target} is allowed, without writing anything, and returns the
   * file the write would replace: {@code target} made absolute, or a symbolic link's target.
   * Folders that do not exist yet are fine (callers that create them do so before writing).
   *
   * @throws IllegalArgumentException naming the path: a directory, device, FIFO or socket; a
   *     dangling symbolic link; a file in the way of its folder; or a name too long for the
   *     temporary file beside it
   */
  public static Path checkTarget(Path target) {
    return OutputTarget.resolve(target);
  }

  /**
   * Checks {@code target} as {@link #checkTarget} does and creates its missing folders, for callers
   * whose outputs go to folders that may not exist yet.
   */
  public static void createFolders(Path target) throws IOException {
    Files.createDirectories(checkTarget(target).getParent());
  }

  /**
   * Writes {@code target} atomically; its folder must exist (see {@link #createFolders}).
   *
   * @throws IllegalArgumentException as {@link #checkTarget}, or when the folder does not exist
   * @throws IOException when writing fails (the message names {@code target}); the previous file,
   *     if any, is left as it was
   */
  public static void write(Path target, Content content) throws IOException {
    write(target, content, UnaryOperator.identity());
  }

  /**
   * As {@link #write(Path, Content)}; {@code decorate} wraps the stream to the temporary file (the
   * identity outside tests, which use it to inject a failure midway).
   */
  static void write(Path target, Content content, UnaryOperator<OutputStream> decorate)
      throws IOException {
    if (content == null) {
      throw new IllegalArgumentException(
          "file: expected content to write to " + target + ", got null");
    }
    Path file = checkTarget(target);
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "file: the directory of " + target + " does not exist (" + dir + ")");
    }
    String name = file.getFileName().toString();
    TempFiles.removeStale(dir, name);
    // Same directory, so the rename stays on one file system; a dot name so listings hide it.
    Path tmp = dir.resolve(TempFiles.newName(name));
    boolean moved = false;
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out =
            new BufferedOutputStream(decorate.apply(Channels.newOutputStream(ch)), 1 << 16);
        content.writeTo(new FlushOnClose(out));
        out.flush();
        ch.force(true); // the bytes are on disk before the rename makes them the target
      }
      // The target may have changed since the check; a rename would replace a FIFO just the same.
      OutputTarget.refuseNonRegular(target, file);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      syncDirectory(dir);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + target + " atomically on this file system", e);
    } catch (IOException e) {
      throw naming(target, e);
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * The failure in terms of the user's target: file-system errors otherwise name the hidden
   * temporary file.
   */
  private static IOException naming(Path target, IOException e) {
    if (e instanceof AccessDeniedException) {
      return (IOException)
          new AccessDeniedException(target.toString(), null, "cannot write in its folder")
              .initCause(e);
    }
    String why =
        e instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : e.getMessage();
    return new IOException(
        "cannot write " + target + ": " + (why == null ? e.getClass().getSimpleName() : why), e);
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
      // The original failure is the one worth reporting; the next write removes a leftover.
    }
  }

  /** Content that closes its stream (a JSON generator, a CSV printer) only flushes it. */
  private static final class FlushOnClose extends FilterOutputStream {
    FlushOnClose(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
