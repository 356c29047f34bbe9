package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeSweepRoundsTest {
  private static final ShapePoint A = new ShapePoint(ShapeCell.LSTM, "centre", 64, 50, 32);
  private static final ShapePoint B = new ShapePoint(ShapeCell.GRU, "units", 256, 50, 32);

  @Test
  void eachSideOfEachPointIsTheMedianOfItsRoundsWithTimestepsFastestAndSlowest() {
    List<List<SweepResult>> rounds =
        List.of(
            List.of(new SweepResult(A, 10, 40, 5), new SweepResult(B, 100, 90, 50)),
            List.of(new SweepResult(A, 30, 20, 5), new SweepResult(B, 300, 110, 50)),
            List.of(new SweepResult(A, 20, 30, 5), new SweepResult(B, 200, 100, 50)));
    List<SweepResult> medians = ShapeSweepRun.medianOfRounds(rounds);
    assertEquals(new SweepResult(A, 20, 30, 5, 10, 30), medians.get(0));
    assertEquals(new SweepResult(B, 200, 100, 50, 100, 300), medians.get(1));
  }

  @Test
  void aRoundThePeerFailedInIsLeftOutOfThePeersMedian() {
    List<List<SweepResult>> rounds =
        List.of(
            List.of(new SweepResult(A, 10, Double.NaN, 5)),
            List.of(new SweepResult(A, 30, 20, 5)),
            List.of(new SweepResult(A, 20, 40, 5)));
    SweepResult m = ShapeSweepRun.medianOfRounds(rounds).get(0);
    assertEquals(20, m.timestepUs());
    assertEquals(30, m.peerUs()); // the mean of the two rounds it ran in
    SweepResult never =
        ShapeSweepRun.medianOfRounds(List.of(List.of(new SweepResult(A, 10, Double.NaN, 5))))
            .get(0);
    assertTrue(Double.isNaN(never.peerUs()));
  }

  @Test
  void roundsMustMeasureTheSamePoints() {
    List<List<SweepResult>> rounds =
        List.of(List.of(new SweepResult(A, 10, 40, 5)), List.of(new SweepResult(B, 30, 20, 50)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ShapeSweepRun.medianOfRounds(rounds));
    assertTrue(e.getMessage().contains("point"), e.getMessage());
  }

  @Test
  void aSmokeRunTakesOneRoundAndAMeasurementThree() {
    assertEquals(1, ShapeSweepRun.rounds(true));
    assertEquals(3, ShapeSweepRun.rounds(false));
  }
}
