package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The committed point list of the round-2 shape sweep. Not the full cross product: each axis is
 * swept through a centre with the other two held there.
 *
 * <ul>
 *   <li>LSTM, GRU and SimpleRNN, centre 64 units x 50 steps x batch 32: units 16, 64, 256, 512;
 *       steps 10, 50, 200, 1000; batch 1, 8, 32, 512 (10 points per cell).
 *   <li>LSTM and GRU also at the medium shape, 64 units x 200 steps x batch 128.
 *   <li>WaveNet, centre 32 channels x 200 steps x batch 8: channels 16, 32, 64, 256; length 10,
 *       200, 2000, 16000; batch 1, 8, 64, 512 (10 points).
 * </ul>
 */
final class ShapeSweep {
  static final int UNITS = 64;
  static final int STEPS = 50;
  static final int BATCH = 32;
  static final List<Integer> UNITS_AXIS = List.of(16, 64, 256, 512);
  static final List<Integer> STEPS_AXIS = List.of(10, 50, 200, 1000);
  static final List<Integer> BATCH_AXIS = List.of(1, 8, 32, 512);

  static final int CHANNELS = 32;
  static final int LENGTH = 200;
  static final int WAVENET_BATCH = 8;
  static final List<Integer> CHANNELS_AXIS = List.of(16, 32, 64, 256);
  static final List<Integer> LENGTH_AXIS = List.of(10, 200, 2000, 16000);
  static final List<Integer> WAVENET_BATCH_AXIS = List.of(1, 8, 64, 512);

  private ShapeSweep() {}

  /** Every point, recurrent cells first, each axis smallest first; the centre appears once. */
  static List<ShapePoint> points() {
    List<ShapePoint> out = new ArrayList<>();
    for (ShapeCell cell : List.of(ShapeCell.LSTM, ShapeCell.GRU, ShapeCell.SIMPLE_RNN)) {
      out.add(new ShapePoint(cell, "centre", UNITS, STEPS, BATCH));
      axis(out, cell, "units", UNITS_AXIS, UNITS, v -> new int[] {v, STEPS, BATCH});
      axis(out, cell, "steps", STEPS_AXIS, STEPS, v -> new int[] {UNITS, v, BATCH});
      axis(out, cell, "batch", BATCH_AXIS, BATCH, v -> new int[] {UNITS, STEPS, v});
      if (cell != ShapeCell.SIMPLE_RNN) {
        out.add(new ShapePoint(cell, "medium", 64, 200, 128));
      }
    }
    ShapeCell w = ShapeCell.WAVENET;
    out.add(new ShapePoint(w, "centre", CHANNELS, LENGTH, WAVENET_BATCH));
    axis(out, w, "channels", CHANNELS_AXIS, CHANNELS, v -> new int[] {v, LENGTH, WAVENET_BATCH});
    axis(out, w, "length", LENGTH_AXIS, LENGTH, v -> new int[] {CHANNELS, v, WAVENET_BATCH});
    axis(out, w, "batch", WAVENET_BATCH_AXIS, WAVENET_BATCH, v -> new int[] {CHANNELS, LENGTH, v});
    return List.copyOf(out);
  }

  /**
   * The {@code --quick} subset: each cell's centre and the small ends of its axes (a smoke run of
   * the whole path, not a measurement).
   */
  static List<ShapePoint> quickPoints() {
    return points().stream()
        .filter(
            p ->
                p.axis().equals("centre")
                    || (List.of("units", "channels").contains(p.axis()) && p.width() == 16)
                    || (List.of("steps", "length").contains(p.axis()) && p.steps() == 10)
                    || (p.axis().equals("batch") && p.batch() == 1))
        .toList();
  }

  private interface Shape {
    int[] of(int value);
  }

  private static void axis(
      List<ShapePoint> out,
      ShapeCell cell,
      String axis,
      List<Integer> values,
      int centre,
      Shape shape) {
    for (int v : values) {
      if (v != centre) {
        int[] s = shape.of(v);
        out.add(new ShapePoint(cell, axis, s[0], s[1], s[2]));
      }
    }
  }
}
