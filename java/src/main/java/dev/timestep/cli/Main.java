package dev.timestep.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code timestep} command line: {@code java -jar java/target/timestep.jar <command>}. */
@Command(name = "timestep", mixinStandardHelpOptions = true, version = "Timestep 0.1.0",
    description = "Sequence models (RNN, LSTM, GRU, Conv1D, WaveNet) in Java, on CUDA or native CPU.",
    subcommands = {TrainCommand.class, ForecastCommand.class, ImputeCommand.class, ReproduceCommand.class,
        BackendsCommand.class, SelfCheckCommand.class, BenchCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The configured command line, so that tests can capture its output with
   * {@code setOut}/{@code setErr} before {@code execute}.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.getSubcommands().get("train").getCommandSpec().usageMessage().footer(TrainCommand.modelList());
    // Bad arguments and library errors print one clear line, not a stack trace.
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + oneLine(ex));
      commandLine.getErr().flush();
      return ex instanceof IllegalArgumentException ? 2 : 1;
    });
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("error: " + oneLine(ex));
      c.getErr().println("try '" + c.getCommandSpec().qualifiedName() + " --help'");
      c.getErr().flush();
      return 2;
    });
    return cli;
  }

  /** A failure as one line: file-system errors say which file, multi-line messages are joined. */
  static String oneLine(Throwable ex) {
    Throwable e = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
    String message;
    if (e instanceof NoSuchFileException n) {
      message = "file not found: " + n.getFile();
    } else if (e instanceof AccessDeniedException a) {
      message = "permission denied: " + a.getFile();
    } else if (e.getMessage() == null || e.getMessage().isBlank()) {
      message = e.getClass().getSimpleName();
    } else {
      message = e.getMessage();
    }
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
