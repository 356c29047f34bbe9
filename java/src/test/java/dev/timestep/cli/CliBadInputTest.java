package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not what they should be (special files, other encodings, binary files, sizes that
 * cannot fit, NaN) end in one line that names the file or option, with exit status 2.
 */
class CliBadInputTest {

  private static void assertRefused(CliRun r, String... expected) {
    assertEquals(2, r.code(), r.toString());
    assertEquals(
        1, r.err().lines().filter(l -> !l.startsWith("INFO")).count(), "one line: " + r.err());
    for (String e : expected) {
      assertTrue(r.errorLine().contains(e), "expected '" + e + "' in: " + r.errorLine());
    }
    assertFalse(
        r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
  }

  private static CliRun trainOn(Path csv) {
    return CliRun.of(
        "train", "--split", "--csv", csv.toString(), "--model", "linear", "--backend", "cpu");
  }

  @Test
  void aDeviceOrADirectoryAsInputIsRefusedNamingIt(@TempDir Path dir) {
    assertRefused(trainOn(Path.of("/dev/zero")), "/dev/zero", "not a regular file");
    assertRefused(trainOn(dir), dir.toString(), "is a directory");
    assertRefused(
        CliRun.of("forecast", "--model", dir.toString()), "--model " + dir, "is a directory");
    assertRefused(
        CliRun.of("forecast", "--model", dir.resolve("nowhere.tsm").toString()),
        "nowhere.tsm",
        "file not found");
  }

  @Test
  void aCsvOverTheSizeLimitIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.csv");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength((256L << 20) + 1); // sparse: no disk used
    }
    assertRefused(trainOn(big), big.toString(), "256 MiB");
  }

  @Test
  void textInAnotherEncodingOrABinaryFileSaysItIsNotUtf8Text(@TempDir Path dir) throws Exception {
    String text = "date,temp\u00e9rature\n2000-01-01,1.5\n2000-01-08,2.5\n";
    Path latin1 =
        Files.write(dir.resolve("latin1.csv"), text.getBytes(StandardCharsets.ISO_8859_1));
    assertRefused(trainOn(latin1), latin1.toString(), "not UTF-8 text");
    // ASCII text in UTF-16 is valid UTF-8, but with a NUL after every character.
    Path utf16 =
        Files.write(
            dir.resolve("utf16.csv"),
            "date,value\n2000-01-01,1.5\n".getBytes(StandardCharsets.UTF_16LE));
    assertRefused(trainOn(utf16), utf16.toString(), "NUL character");
    Path model = TrainForecastImputeCommandTest.trainSmall(dir, "linear");
    CliRun asCsv = trainOn(model);
    assertRefused(asCsv, model.toString());
    assertTrue(
        asCsv.errorLine().contains("not UTF-8 text") || asCsv.errorLine().contains("NUL character"),
        asCsv.errorLine());
    Path png = dir.resolve("linear-curves.png");
    CliRun pngAsCsv = trainOn(png);
    assertRefused(pngAsCsv, png.toString());
    assertTrue(
        pngAsCsv.errorLine().contains("not UTF-8 text")
            || pngAsCsv.errorLine().contains("NUL character"),
        pngAsCsv.errorLine());
  }

  @Test
  void aHugeCellIsQuotedInShort(@TempDir Path dir) throws Exception {
    String cell = "x".repeat(5_000_000);
    Path csv =
        Files.writeString(
            dir.resolve("huge.csv"), "date,value\n2000-01-01,1.5\n2000-01-08," + cell + "\n");
    CliRun r = trainOn(csv);
    assertRefused(r, "huge.csv line 3", "cannot read 'xxxx");
    assertTrue(
        r.errorLine().length() < 400, "quoted in short: " + r.errorLine().length() + " characters");
  }

  @Test
  void aNanOrInfiniteLearningRateIsRefused() {
    assertRefused(
        CliRun.of(
            "train", "--split", "--builtin", "co2", "--model", "linear", "--learning-rate", "NaN"),
        "--learning-rate",
        "NaN");
    assertRefused(
        CliRun.of(
            "train",
            "--split",
            "--builtin",
            "co2",
            "--model",
            "linear",
            "--learning-rate",
            "Infinity"),
        "--learning-rate",
        "Infinity");
    assertRefused(
        CliRun.of("train", "--split", "--builtin", "co2", "--model", "linear", "--dropout", "NaN"),
        "--dropout",
        "NaN");
  }

  @Test
  void sizesThatCannotFitAreRefusedNamingTheOption(@TempDir Path dir) throws Exception {
    Path model = TrainForecastImputeCommandTest.trainSmall(dir, "linear");
    assertRefused(
        CliRun.of(
            "forecast", "--model", model.toString(), "--horizon", "2147483647", "--backend", "cpu"),
        "--horizon 2147483647 needs at least",
        "at most");
    Path dropout = dir.resolve("dropout.tsm");
    CliRun train =
        CliRun.of(
            "train",
            "--split",
            "--csv",
            dir.resolve("series.csv").toString(),
            "--model",
            "linear",
            "--window",
            "12",
            "--epochs",
            "1",
            "--dropout",
            "0.2",
            "--backend",
            "cpu",
            "--out",
            dropout.toString());
    assertEquals(0, train.code(), train.toString());
    assertRefused(
        CliRun.of(
            "forecast",
            "--model",
            dropout.toString(),
            "--mc-samples",
            "2147483647",
            "--backend",
            "cpu"),
        "--mc-samples 2147483647",
        "at most");
    assertRefused(
        CliRun.of("reproduce", "--rows", "1", "--seeds", "2147483647", "--backend", "cpu"),
        "--seeds 2147483647 needs at least",
        "at most");
    assertRefused(
        CliRun.of("train", "--split", "--generator", "--model", "linear", "--window", "2147483647"),
        "--window 2147483647 + --horizon 1 is more than");
  }

  @Test
  void aBacktestOfMoreOriginsThanTheSeriesHasUsesThemAll(@TempDir Path dir) throws Exception {
    Path model = TrainForecastImputeCommandTest.trainSmall(dir, "linear");
    CliRun r =
        CliRun.of(
            "forecast",
            "--model",
            model.toString(),
            "--backtest",
            "2147483647",
            "--backend",
            "cpu");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("RMSE per step ahead, from "), r.out());
  }
}
