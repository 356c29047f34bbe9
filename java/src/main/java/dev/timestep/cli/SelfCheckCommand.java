package dev.timestep.cli;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.backend.conformance.OpCheck;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code selfcheck}: every backend op against the pure-Java reference, as one table. */
@Command(
    name = "selfcheck",
    mixinStandardHelpOptions = true,
    description =
        "Run every op of a backend against the pure-Java reference on random inputs and print "
            + "each op's max relative error and time. Exit status 1 when any op fails.")
final class SelfCheckCommand implements Callable<Integer> {

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "auto, cuda, cpu or reference (default: ${DEFAULT-VALUE}).")
  String backend;

  @Override
  public Integer call() {
    Backend b = Backends.named(backend);
    List<OpCheck.Row> rows = OpCheck.run(b, System.out);
    return rows.stream().allMatch(OpCheck.Row::pass) ? 0 : 1;
  }
}
