package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

  @Test
  void withoutTheBenchmarksJarItSaysHowToBuildIt(@TempDir Path dir) {
    CliRun run = CliRun.of("bench", "--jar", dir.resolve("missing.jar").toString(), "--quick");
    assertEquals(2, run.code(), run.toString());
    assertTrue(run.err().contains("does not exist; build it"), run.toString());
    assertTrue(run.err().contains("mvn -B -q -Dts.cuda=OFF -DskipTests install"), run.toString());
  }

  @Test
  void passesItsOtherOptionsToBenchReport() {
    BenchCommand bench = new BenchCommand();
    new CommandLine(bench).parseArgs("--jar", "b.jar", "--quick", "--include", "ChapterModel");
    List<String> c = bench.command();
    assertEquals(
        List.of("-cp", "b.jar", BenchCommand.REPORT_CLASS, "--quick", "--include", "ChapterModel"),
        c.subList(1, c.size()));
    assertTrue(c.get(0).endsWith("java"), c.get(0));
  }
}
