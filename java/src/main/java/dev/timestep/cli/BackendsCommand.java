package dev.timestep.cli;

import dev.timestep.backend.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code backends}: which backends can run here, and which one auto picks. */
@Command(
    name = "backends",
    mixinStandardHelpOptions = true,
    description =
        "List the backends, whether each can run on this machine, and the automatic choice.")
final class BackendsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Backends.report().forEach(System.out::println);
    return 0;
  }
}
