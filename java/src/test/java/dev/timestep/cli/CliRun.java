package dev.timestep.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the CLI in-process with its output captured. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    return of(cli -> {}, args);
  }

  /** As {@link #of(String...)}, after {@code setup} (e.g. a test's own subcommand). */
  static CliRun of(Consumer<CommandLine> setup, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    setup.accept(cli);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The error output's lines that are not progress lines. */
  String errorLine() {
    return err.lines()
        .filter(l -> l.startsWith("error: "))
        .findFirst()
        .orElse("(no error line in: " + err + ")");
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
