package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.TestSeries;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --fill: counts reported, and a warning when many windows are lost or imputed. */
class TrainGapFillCommandTest {
  private static CliRun train(Path dir, int[] missing, String fill) throws Exception {
    Path csv =
        TestSeries.writeCsv(dir.resolve("s.csv"), TestSeries.values(200, 26, 0.2, 1, missing));
    return CliRun.of(
        "train",
        "--split",
        "--csv",
        csv.toString(),
        "--model",
        "linear",
        "--window",
        "12",
        "--epochs",
        "1",
        "--backend",
        "cpu",
        "--fill",
        fill,
        "--out",
        dir.resolve("m.tsm").toString());
  }

  @Test
  void aFewGapsAreFilledAndCountedWithoutAWarning(@TempDir Path dir) throws Exception {
    // row 50 is in the training part (rows 0..139, 128 windows of 13 steps): windows starting
    // 39..50 have it among their inputs, the one starting at 38 as its target
    CliRun r = train(dir, new int[] {50}, "linear");
    assertEquals(0, r.code(), r.toString());
    assertTrue(
        r.out().contains("gaps: filled 1 of 180 values; 12 windows touched a fill"), r.out());
    assertTrue(r.out().contains("train 127 of 128 (1 skipped"), r.out());
    assertFalse(r.err().contains("warning"), r.err());
  }

  @Test
  void manyGapsWarn(@TempDir Path dir) throws Exception {
    // 7 training gaps 20 rows apart: each touches 13 of the 128 windows
    int[] everyTwentieth = IntStream.range(0, 7).map(i -> 5 + 20 * i).toArray();
    CliRun linear = train(dir, everyTwentieth, "linear");
    assertEquals(0, linear.code(), linear.toString());
    assertTrue(linear.err().contains("of the training windows were lost"), linear.err());
    CliRun none = train(dir, everyTwentieth, "none");
    assertEquals(0, none.code(), none.toString());
    assertFalse(none.out().contains("gaps: filled"), none.out());
    assertTrue(none.err().contains("--fill linear keeps"), none.err());
  }

  @Test
  void anUnknownFillIsRefused(@TempDir Path dir) throws Exception {
    CliRun r = train(dir, new int[] {}, "spline");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.errorLine().contains("linear or none"), r.errorLine());
  }
}
