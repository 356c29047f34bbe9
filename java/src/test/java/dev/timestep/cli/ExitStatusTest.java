package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/**
 * One exit status scheme for every command: 0 done, 1 failed while running, 2 refused its input.
 */
class ExitStatusTest {

  @Command(name = "exhaust")
  static final class Exhaust implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void aBadModelFileAndABadCsvAreBothRefusedWithTwo(@TempDir Path dir) throws Exception {
    Path notAModel = Files.writeString(dir.resolve("bad.tsm"), "not a model");
    assertEquals(
        2, CliRun.of("forecast", "--model", notAModel.toString(), "--backend", "cpu").code());
    assertEquals(2, CliRun.of("impute", "--model", dir.resolve("missing.tsm").toString()).code());
    Path badCsv = Files.writeString(dir.resolve("bad.csv"), "date,value\n2000-01-01,abc\n");
    assertEquals(
        2, CliRun.of("train", "--split", "--csv", badCsv.toString(), "--model", "linear").code());
  }

  @Test
  void mcSamplesForAModelWithoutDropoutIsAUsageError(@TempDir Path dir) throws Exception {
    Path model = TrainForecastImputeCommandTest.trainSmall(dir, "linear");
    CliRun r =
        CliRun.of(
            "forecast", "--model", model.toString(), "--mc-samples", "10", "--backend", "cpu");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.errorLine().contains("--mc-samples 10 needs a model with dropout"), r.errorLine());
  }

  @Test
  void trainingThatDivergesFailsWithOne(@TempDir Path dir) throws Exception {
    Path csv = TestSeries.writeCsv(dir.resolve("s.csv"), TestSeries.values(200, 26, 0.2, 1));
    CliRun r =
        CliRun.of(
            "train",
            "--split",
            "--csv",
            csv.toString(),
            "--model",
            "linear",
            "--window",
            "12",
            "--epochs",
            "2",
            "--learning-rate",
            "1e38",
            "--backend",
            "cpu",
            "--out",
            dir.resolve("m.tsm").toString());
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.errorLine().contains("training diverged"), r.errorLine());
  }

  @Test
  void runningOutOfMemoryIsOneLineWithOne() {
    CliRun r = CliRun.of(cli -> cli.addSubcommand("exhaust", new Exhaust()), "exhaust");
    assertEquals(1, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertTrue(r.errorLine().startsWith("error: out of memory (Java heap space)"), r.errorLine());
    assertTrue(r.errorLine().contains("-Xmx"), "says what to do: " + r.errorLine());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void readmeAndHelpStateTheSameScheme() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md")).replaceAll("\\s+", " ");
    String help = CliRun.of("--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("Exit status: 0 done; 1 failed while running"), help);
    assertTrue(readme.contains("`0` done; `1` failed while running"), "README has the scheme");
  }
}
