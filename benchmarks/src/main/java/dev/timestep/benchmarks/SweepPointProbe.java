package dev.timestep.benchmarks;

import dev.timestep.backend.cpu.CpuBackend;
import java.util.Locale;

/**
 * Times one point of the round-2 shape sweep on its own: the same model and training step as the
 * report's sweep, on the CPU backend with one kernel thread, in rounds of 5 steps after at least 10
 * untimed steps and 2 s, printing each round's mean. For A/B work on one point across builds
 * without running the whole report (tools/bench/ab_sweep_point.sh alternates two jars).
 *
 * <pre>
 * java -cp benchmarks.jar dev.timestep.benchmarks.SweepPointProbe CELL WIDTH STEPS BATCH [ROUNDS]
 *   CELL: LSTM, GRU, SIMPLE_RNN or WAVENET; ROUNDS: 5 unless given
 * </pre>
 */
public final class SweepPointProbe {
  private static final int STEPS_PER_ROUND = 5;
  private static final int WARM_UP_STEPS = 10;
  private static final long WARM_UP_NANOS = 2_000_000_000L;
  private static final String USAGE =
      "usage: SweepPointProbe LSTM|GRU|SIMPLE_RNN|WAVENET WIDTH STEPS BATCH [ROUNDS]";

  private SweepPointProbe() {}

  public static void main(String[] args) {
    if (args.length < 4 || args.length > 5) {
      System.err.println(USAGE);
      System.exit(2);
    }
    ShapePoint point;
    int rounds;
    try {
      point =
          new ShapePoint(
              cell(args[0]),
              "probe",
              positive(args[1], "WIDTH"),
              positive(args[2], "STEPS"),
              positive(args[3], "BATCH"));
      rounds = args.length == 5 ? positive(args[4], "ROUNDS") : 5;
    } catch (IllegalArgumentException e) {
      System.err.println("SweepPointProbe: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    CpuBackend.setThreads(1);
    try (SweepModel model = new SweepModel(point, BenchmarkBackends.resolve("cpu", "probe"))) {
      long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
      for (int i = 0; i < WARM_UP_STEPS || System.nanoTime() < warmUpEnd; i++) {
        model.trainStep();
      }
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        for (int i = 0; i < STEPS_PER_ROUND; i++) {
          model.trainStep();
        }
        double ms = (System.nanoTime() - start) / 1e6 / STEPS_PER_ROUND;
        System.out.printf(Locale.ROOT, "%s: %.4g ms a training step%n", point.label(), ms);
      }
    }
  }

  private static ShapeCell cell(String text) {
    for (ShapeCell c : ShapeCell.values()) {
      if (c.name().equalsIgnoreCase(text)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown CELL '" + text + "'");
  }

  private static int positive(String text, String name) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      value = 0; // not a number: refused below like any value under 1
    }
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be a whole number >= 1, got '" + text + "'");
    }
    return value;
  }
}
