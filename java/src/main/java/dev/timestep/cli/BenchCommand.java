package dev.timestep.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code bench}: runs the benchmark report ({@code dev.timestep.benchmarks.BenchReport}) from the
 * benchmarks jar in a child JVM, because the library jar does not contain JMH or the benchmarks.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run the benchmark report: FMA floor, JMH chapter models and scaling, optionally the PyTorch peer; "
          + "writes benchmarks/results/<date>-<host>.md and PNG charts.",
      "Other options go to BenchReport: --quick, --include REGEX, --backend LIST, --threads LIST, --peer, --no-scaling,"
          + " --out DIR."
    })
final class BenchCommand implements Callable<Integer> {
  static final String REPORT_CLASS = "dev.timestep.benchmarks.BenchReport";

  @Spec CommandSpec spec;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description = "the benchmarks jar (default: ${DEFAULT-VALUE})")
  Path jar = Path.of("benchmarks", "target", "benchmarks.jar");

  @Unmatched List<String> reportArgs = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      spec.commandLine()
          .getErr()
          .println(
              "error: "
                  + jar
                  + " does not exist; build it from the repository root with\n"
                  + "  mvn -B -q -Dts.cuda=OFF -DskipTests install\n"
                  + "then run 'timestep bench' from there (or pass --jar FILE)");
      spec.commandLine().getErr().flush();
      return 2;
    }
    return new ProcessBuilder(command()).inheritIO().start().waitFor();
  }

  /**
   * The child JVM's command line: this JVM's java, the benchmarks jar, BenchReport and its options.
   */
  List<String> command() {
    List<String> c =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar.toString(),
                REPORT_CLASS));
    c.addAll(reportArgs);
    return c;
  }
}
