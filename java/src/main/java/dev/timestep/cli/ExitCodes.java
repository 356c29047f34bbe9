package dev.timestep.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One exit status scheme for every command: 0 done, 1 failed while running, 2 refused what it was
 * given (an option, an input file or an output path).
 */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int REFUSED = 2;

  /** The help footer's paragraph; README says the same. */
  static final String HELP =
      "%nExit status: 0 done; 1 failed while running (training diverged, out of memory, "
          + "a write failed, selfcheck found a failing op); 2 refused a bad option, input file or output path.%n";

  private ExitCodes() {}

  /** The exit status of a command that threw {@code e}. */
  static int of(Throwable e) {
    Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    boolean refused =
        cause instanceof IllegalArgumentException
            || cause instanceof NoSuchFileException
            || cause instanceof AccessDeniedException
            || cause instanceof NotDirectoryException
            || cause instanceof FileAlreadyExistsException;
    return refused ? REFUSED : FAILED;
  }
}
