package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class ShapeSweepTest {
  private static IntSummaryStatistics range(ShapeCell cell, ToIntFunction<ShapePoint> size) {
    return ShapeSweep.points().stream()
        .filter(p -> p.cell() == cell)
        .mapToInt(size)
        .summaryStatistics();
  }

  @Test
  void everyCellSweepsTheRangesTheIssueNames() {
    // units 16-512, steps 10-1000, batch 1-512, for LSTM, GRU, SimpleRNN and WaveNet
    for (ShapeCell cell : ShapeCell.values()) {
      IntSummaryStatistics width = range(cell, ShapePoint::width);
      IntSummaryStatistics steps = range(cell, ShapePoint::steps);
      IntSummaryStatistics batch = range(cell, ShapePoint::batch);
      assertTrue(width.getMin() <= 16 && width.getMax() >= 256, cell + " width " + width);
      assertTrue(steps.getMin() <= 10 && steps.getMax() >= 1000, cell + " steps " + steps);
      assertEquals(1, batch.getMin(), cell + " batch");
      assertEquals(512, batch.getMax(), cell + " batch");
    }
    for (ShapeCell cell : List.of(ShapeCell.LSTM, ShapeCell.GRU, ShapeCell.SIMPLE_RNN)) {
      assertEquals(16, range(cell, ShapePoint::width).getMin());
      assertEquals(512, range(cell, ShapePoint::width).getMax());
      assertEquals(10, range(cell, ShapePoint::steps).getMin());
      assertEquals(1000, range(cell, ShapePoint::steps).getMax());
    }
  }

  @Test
  void eachAxisHoldsTheOtherTwoAtItsCentre() {
    for (ShapePoint p : ShapeSweep.points()) {
      boolean wave = p.cell() == ShapeCell.WAVENET;
      int width = wave ? ShapeSweep.CHANNELS : ShapeSweep.UNITS;
      int steps = wave ? ShapeSweep.LENGTH : ShapeSweep.STEPS;
      int batch = wave ? ShapeSweep.WAVENET_BATCH : ShapeSweep.BATCH;
      switch (p.axis()) {
        case "units", "channels" -> {
          assertEquals(steps, p.steps(), p.label());
          assertEquals(batch, p.batch(), p.label());
        }
        case "steps", "length" -> {
          assertEquals(width, p.width(), p.label());
          assertEquals(batch, p.batch(), p.label());
        }
        case "batch" -> {
          assertEquals(width, p.width(), p.label());
          assertEquals(steps, p.steps(), p.label());
        }
        case "centre" -> assertEquals(List.of(width, steps, batch), sizes(p));
        case "medium" -> assertEquals(List.of(64, 200, 128), sizes(p));
        default -> throw new AssertionError("unknown axis " + p.axis());
      }
    }
  }

  private static List<Integer> sizes(ShapePoint p) {
    return List.of(p.width(), p.steps(), p.batch());
  }

  @Test
  void theListIsSmallAndHasNoRepeats() {
    List<ShapePoint> points = ShapeSweep.points();
    assertTrue(points.size() >= 30 && points.size() <= 45, "points: " + points.size());
    assertEquals(
        points.size(), new HashSet<>(points.stream().map(ShapePoint::peerSpec).toList()).size());
    assertTrue(points.containsAll(ShapeSweep.quickPoints()));
    assertEquals(42, points.size());
    // the quick run: each cell's centre and the small end of each of its axes
    assertEquals(16, ShapeSweep.quickPoints().size());
  }

  @Test
  void lstmStepFlopsMatchAHandCount() {
    // LSTM(64) x2 -> TD(Dense(1)) on 4 features, 50 steps, batch 8, per sample and step:
    // layer 1: 2*(4+64)*256 products + 13*64 pointwise = 35,648; layer 2: 2*128*256 + 832 = 66,368;
    // Dense(1): 2*64 + 1 = 129. Forward per sample: 50 * 102,145 = 5,107,250; MSE 3 * 50 = 150.
    // Step: 3 * 8 * 5,107,400 = 122,577,600; Adam 10 * (17,664 + 33,024 + 65) = 507,530;
    // less the first layer's input gradient 2 * 8 * 50 * 4 * 256 = 819,200.
    ShapePoint p = new ShapePoint(ShapeCell.LSTM, "test", 64, 50, 8);
    assertEquals(122_577_600.0 + 507_530.0 - 819_200.0, p.trainStepFlops(), 1e-6);
    assertEquals(p.trainStepFlops() / 1e5, p.floorUs(100), 1e-9); // 100 GFLOP/s = 1e5 FLOP per µs
  }

  @Test
  void waveNetStepFlopsMatchAHandCount() {
    // 16 channels, 100 steps, batch 2, per output step: first conv 2*2*1*16 + 16 bias + 16 relu =
    // 96; 7 convs of 2*2*16*16 + 32 = 1,056; head 2*16*10 + 10 = 330: 7,818 per step.
    // Step: 3 * 2 * (100 * 7,818 + MSE 3 * 1000) = 4,708,800; Adam 10 * (48 + 7 * 528 + 170) =
    // 39,140; less the first conv's input gradient 2 * 2 * 100 * 2 * 16 = 12,800.
    ShapePoint p = new ShapePoint(ShapeCell.WAVENET, "test", 16, 100, 2);
    assertEquals(4_708_800.0 + 39_140.0 - 12_800.0, p.trainStepFlops(), 1e-6);
    assertEquals(47.3514, p.floorUs(100), 1e-9);
  }

  @Test
  void computeBoundNeedsBothSerialWorkAndIntensity() {
    // 2*32*64*256 = 1.05 MFLOP per step over 4*(64*256 + 32*64 + 32*256) = 106,496 bytes: 9.8
    ShapePoint centre = new ShapePoint(ShapeCell.LSTM, "t", 64, 50, 32);
    assertEquals(1_048_576.0, centre.serialFlops());
    assertEquals(106_496.0, centre.serialBytes());
    assertTrue(centre.computeBound());
    // batch 8 re-reads 4 MB of U for 16.8 MFLOP: 3.9 FLOP per byte
    assertFalse(new ShapePoint(ShapeCell.LSTM, "t", 512, 50, 8).computeBound());
    // 16 units at batch 512: 1.05 MFLOP but 16 multiply-adds per output: 6.2 FLOP per byte
    assertFalse(new ShapePoint(ShapeCell.LSTM, "t", 16, 50, 512).computeBound());
    // GRU(64) at batch 32: 0.79 MFLOP per step
    assertFalse(new ShapePoint(ShapeCell.GRU, "t", 64, 50, 32).computeBound());
    assertTrue(new ShapePoint(ShapeCell.GRU, "t", 256, 50, 32).computeBound());
    // a convolution's intensity is about channels / 2 FLOP per byte
    assertTrue(new ShapePoint(ShapeCell.WAVENET, "t", 32, 200, 8).computeBound());
    assertFalse(new ShapePoint(ShapeCell.WAVENET, "t", 16, 200, 512).computeBound());
  }

  @Test
  void refusesEmptySizesAndNamesThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ShapePoint(ShapeCell.LSTM, "t", 0, 5, 1));
    assertTrue(e.getMessage().contains("width, steps and batch"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ShapePoint(ShapeCell.LSTM, "t", 1, 1, 1).floorUs(0));
    assertEquals("LSTM u64 t50 b32", new ShapePoint(ShapeCell.LSTM, "t", 64, 50, 32).label());
    assertEquals("wavenet 32 200 8", new ShapePoint(ShapeCell.WAVENET, "t", 32, 200, 8).peerSpec());
  }
}
