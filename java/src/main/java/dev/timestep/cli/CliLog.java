package dev.timestep.cli;

import java.io.PrintWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How the library's log records reach the CLI's user. The library logs through {@code
 * System.Logger}, which java.util.logging's default console format prints as two lines (a date and
 * the calling method, then the level and the message). The CLI instead prints each record from
 * {@code dev.timestep.*} as one line on the command's stderr: the backend banner ("Timestep
 * backend: cpu (...)"), which the library logs once per process, as it is, and warnings as {@code
 * warning: ...}. Under {@code --quiet} only warnings and worse print.
 */
final class CliLog {
  /** Strongly held: java.util.logging keeps loggers weakly, and would forget this setup. */
  private static final Logger TIMESTEP = Logger.getLogger("dev.timestep");

  private static final String BACKEND_LOGGER = "dev.timestep.backend";
  private static final OneLine HANDLER = new OneLine();
  private static volatile boolean quiet;

  private CliLog() {}

  /**
   * Sends {@code dev.timestep.*} records to {@code err}, one line each, for the run about to start.
   */
  static synchronized void install(PrintWriter err, boolean quietRun) {
    quiet = quietRun;
    HANDLER.err = err;
    HANDLER.backendShownByCommand = false;
    TIMESTEP.setUseParentHandlers(false);
    TIMESTEP.setLevel(quietRun ? Level.WARNING : Level.FINE); // FINE: the backend choice
    HANDLER.setLevel(Level.ALL);
    for (Handler h : TIMESTEP.getHandlers()) {
      if (h == HANDLER) {
        return;
      }
    }
    TIMESTEP.addHandler(HANDLER);
  }

  /** Whether this run was asked for {@code --quiet}: no banner and no progress lines. */
  static boolean quiet() {
    return quiet;
  }

  /**
   * For a command whose own first line names the backend and why it was chosen ({@code reproduce}):
   * the library's banner would say the same thing again, so it is dropped.
   */
  static void backendShownByCommand() {
    HANDLER.backendShownByCommand = true;
  }

  private static final class OneLine extends Handler {
    volatile PrintWriter err = new PrintWriter(System.err, true);
    volatile boolean backendShownByCommand;
    private final Formatter messages =
        new Formatter() {
          @Override
          public String format(LogRecord r) {
            return formatMessage(r);
          }
        };

    @Override
    public void publish(LogRecord r) {
      if (!isLoggable(r)) {
        return;
      }
      boolean warning = r.getLevel().intValue() >= Level.WARNING.intValue();
      if (!warning && backendShownByCommand && BACKEND_LOGGER.equals(r.getLoggerName())) {
        return;
      }
      String line = messages.format(r).replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
      if (r.getThrown() != null) {
        line += " (" + Main.oneLine(r.getThrown()) + ")";
      }
      PrintWriter w = err;
      synchronized (this) {
        w.println((warning ? "warning: " : "") + line);
        w.flush();
      }
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {}
  }
}
