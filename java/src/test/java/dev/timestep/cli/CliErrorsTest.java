package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.TestSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every common user mistake ends in one line that names the problem, and a non-zero exit. */
class CliErrorsTest {

  /**
   * Exit 2, exactly one line on stderr, starting "error: " and containing {@code expected}; no
   * stack trace.
   */
  private static void assertOneLineError(CliRun r, String expected) {
    assertEquals(2, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), "exactly one line: " + r.err());
    assertTrue(
        r.errorLine().contains(expected), "expected '" + expected + "' in: " + r.errorLine());
    assertFalse(
        r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
  }

  @Test
  void corruptedModelFile(@TempDir Path dir) throws Exception {
    Path model = TrainForecastImputeCommandTest.trainSmall(dir, "linear");
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 2] ^= 0x5a;
    Path broken = Files.write(dir.resolve("broken.tsm"), bytes);
    assertOneLineError(
        CliRun.of("forecast", "--model", broken.toString(), "--backend", "cpu"), "broken.tsm");
    Path truncated = Files.write(dir.resolve("cut.tsm"), java.util.Arrays.copyOf(bytes, 40));
    assertOneLineError(
        CliRun.of("impute", "--model", truncated.toString(), "--backend", "cpu"), "cut.tsm");
    CliRun missing = CliRun.of("forecast", "--model", dir.resolve("nowhere.tsm").toString());
    assertEquals(2, missing.code(), "a bad input: " + missing);
    assertTrue(
        missing.errorLine().contains("file not found")
            && missing.errorLine().contains("nowhere.tsm"),
        missing.errorLine());
  }

  @Test
  void csvWithANonNumericValue(@TempDir Path dir) throws Exception {
    Path csv =
        Files.writeString(dir.resolve("bad.csv"), "date,value\n2000-01-01,1.5\n2000-01-08,abc\n");
    assertOneLineError(
        CliRun.of(
            "train", "--split", "--csv", csv.toString(), "--model", "linear", "--backend", "cpu"),
        "cannot read 'abc' as a number");
  }

  @Test
  void windowLongerThanTheSeries(@TempDir Path dir) throws Exception {
    Path csv = TestSeries.writeCsv(dir.resolve("short.csv"), TestSeries.values(40, 26, 0.2, 1));
    assertOneLineError(
        CliRun.of(
            "train",
            "--split",
            "--csv",
            csv.toString(),
            "--model",
            "lstm",
            "--window",
            "60",
            "--backend",
            "cpu"),
        "window of 60 steps is longer than the series");
  }

  @Test
  void horizonOfZero() {
    assertOneLineError(
        CliRun.of("train", "--split", "--builtin", "co2", "--model", "linear", "--horizon", "0"),
        "--horizon must be at least 1 step, got 0");
  }

  @Test
  void unknownModelName() {
    assertOneLineError(
        CliRun.of("train", "--split", "--builtin", "co2", "--model", "transformer"),
        "unknown model 'transformer'; choose one of linear, simple-rnn");
  }

  @Test
  void unknownColumn(@TempDir Path dir) throws Exception {
    Path csv = TestSeries.writeCsv(dir.resolve("s.csv"), TestSeries.values(100, 26, 0.2, 1));
    assertOneLineError(
        CliRun.of(
            "train", "--split", "--csv", csv.toString(), "--column", "co2", "--model", "linear"),
        "no column 'co2'; the header has [date, value]");
  }

  @Test
  void noInputOrTwoInputs() {
    assertOneLineError(
        CliRun.of("train", "--split", "--model", "linear"), "needs exactly one input");
    assertOneLineError(
        CliRun.of("train", "--split", "--model", "linear", "--builtin", "co2", "--generator"),
        "needs exactly one input");
    assertOneLineError(
        CliRun.of("train", "--split", "--model", "linear", "--builtin", "mars"),
        "unknown --builtin 'mars'");
  }
}
