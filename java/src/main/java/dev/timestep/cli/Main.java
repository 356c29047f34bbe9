package dev.timestep.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code timestep} command line: {@code java -jar java/target/timestep.jar <command>}. */
@Command(
    name = "timestep",
    mixinStandardHelpOptions = true,
    version = "Timestep 0.1.0",
    description =
        "Sequence models (RNN, LSTM, GRU, Conv1D, WaveNet) in Java, on CUDA or native CPU.",
    subcommands = {
      TrainCommand.class,
      ForecastCommand.class,
      BacktestCommand.class,
      ImputeCommand.class,
      ReproduceCommand.class,
      BackendsCommand.class,
      SelfCheckCommand.class,
      BenchCommand.class,
      ImportCommand.class,
      ExportCommand.class
    })
public final class Main implements Runnable {
  /** Commands that write files, whose help explains how outputs are written. */
  private static final Set<String> WRITERS =
      Set.of("train", "forecast", "backtest", "impute", "reproduce", "import", "export");

  /** Longer error lines are cut: a message may quote a whole file's worth of text. */
  static final int MAX_ERROR_CHARS = 1000;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The configured command line, so that tests can capture its output with {@code setOut}/{@code
   * setErr} before {@code execute}.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.getSubcommands()
        .get("train")
        .getCommandSpec()
        .usageMessage()
        .footer(TrainCommand.modelList());
    cli.getCommandSpec().usageMessage().footer(ExitCodes.HELP);
    cli.getSubcommands()
        .forEach(
            (name, sub) ->
                appendFooter(
                    sub.getCommandSpec().usageMessage(),
                    (WRITERS.contains(name) ? OutputFiles.HELP : "") + ExitCodes.HELP));
    // An OutOfMemoryError is not an Exception, so picocli would let it escape as a stack trace.
    cli.setExecutionStrategy(
        parseResult -> {
          // The library's log records (the backend banner, warnings): one line each on this run's
          // stderr.
          CliLog.install(
              parseResult.commandSpec().commandLine().getErr(),
              ((Main) parseResult.commandSpec().userObject()).quiet);
          try {
            return new CommandLine.RunLast().execute(parseResult);
          } catch (OutOfMemoryError e) {
            List<CommandLine> commands = parseResult.asCommandLineList();
            throw new ExecutionException(commands.get(commands.size() - 1), "out of memory", e);
          }
        });
    // Bad arguments and library errors print one clear line, not a stack trace.
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          Throwable failure =
              ex instanceof ExecutionException && ex.getCause() instanceof OutOfMemoryError oom
                  ? oom
                  : ex;
          commandLine.getErr().println("error: " + oneLine(failure));
          commandLine.getErr().flush();
          return ExitCodes.of(failure);
        });
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("error: " + oneLine(ex));
          c.getErr().println("try '" + c.getCommandSpec().qualifiedName() + " --help'");
          c.getErr().flush();
          return ExitCodes.REFUSED;
        });
    return cli;
  }

  private static void appendFooter(UsageMessageSpec usage, String text) {
    usage.footer(String.join("", usage.footer()) + text);
  }

  /** A failure as one line: file-system errors say which file, multi-line messages are joined. */
  static String oneLine(Throwable ex) {
    Throwable e = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
    String message;
    if (e instanceof OutOfMemoryError) {
      message =
          String.format(
              Locale.ROOT,
              "out of memory%s: this run needs more than the %d MiB Java heap; use "
                  + "smaller sizes, or give Java more memory (java -Xmx8g -jar ...)",
              e.getMessage() == null ? "" : " (" + e.getMessage() + ")",
              Runtime.getRuntime().maxMemory() >> 20);
    } else if (e instanceof NoSuchFileException n) {
      message = "file not found: " + n.getFile();
    } else if (e instanceof AccessDeniedException a) {
      message = "permission denied: " + a.getFile();
    } else if (e.getMessage() == null || e.getMessage().isBlank()) {
      message = e.getClass().getSimpleName();
    } else {
      message = e.getMessage();
    }
    String line = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    return line.length() <= MAX_ERROR_CHARS
        ? line
        : line.substring(0, MAX_ERROR_CHARS)
            + "... ("
            + (line.length() - MAX_ERROR_CHARS)
            + " more characters)";
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--quiet",
      scope = ScopeType.INHERIT,
      description =
          "Print no backend banner and no progress lines on stderr (results, warnings and errors still "
              + "print). Accepted before or after the command.")
  boolean quiet;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
