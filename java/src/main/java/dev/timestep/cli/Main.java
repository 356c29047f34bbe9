package dev.timestep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code timestep} command line: {@code java -jar java/target/timestep.jar <command>}. */
@Command(name = "timestep", mixinStandardHelpOptions = true, version = "Timestep 0.1.0",
    description = "Sequence models (RNN, LSTM, GRU, Conv1D, WaveNet) in Java, on CUDA or native CPU.",
    subcommands = {ReproduceCommand.class, BackendsCommand.class, SelfCheckCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // Bad arguments and library errors print one clear line, not a stack trace.
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + ex.getMessage());
      return ex instanceof IllegalArgumentException ? 2 : 1;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
