package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Fixed round-2 results for the target and Markdown tests: no measurement involved. */
final class Round2Fixture {
  private Round2Fixture() {}

  static final ShapePoint SMALL = new ShapePoint(ShapeCell.LSTM, "batch", 64, 50, 1);
  static final ShapePoint BOUND = new ShapePoint(ShapeCell.LSTM, "centre", 64, 50, 32);
  static final ShapePoint WIDE = new ShapePoint(ShapeCell.GRU, "units", 256, 50, 32);

  static BenchResult result(String name, double us, String... kv) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return new BenchResult(name, params, us, Double.NaN);
  }

  /**
   * Sweep: SMALL 3x PyTorch at 40x its floor (not compute-bound), BOUND 2x at 1.4x, WIDE 1.2x at
   * 1.6x. Epoch 0.12 s against 2.6 s. Chapter rows at 1 thread: every recurrent row 20x PyTorch
   * except row 11 (ln-rnn) at 10x; LSTM inference 12 µs. WaveNet 16k 1.8 ms. Large LSTM 150 ms
   * against 195 ms (1.3x). reproduce: see {@link #withJvmDefaults()} and {@link #bounded()}.
   */
  static Round2Data data(boolean quick) {
    double fma = 100;
    List<SweepResult> sweep =
        List.of(at(SMALL, 40, 3, fma), at(BOUND, 1.4, 2, fma), at(WIDE, 1.6, 1.2, fma));
    List<BenchResult> jmh = new ArrayList<>();
    StringBuilder peerRows = new StringBuilder("torch 1.13.0, device cpu, threads 1\n");
    for (var e : PeerTimings.RECURRENT_ROWS.entrySet()) {
      int row = e.getValue();
      double ours = 1000 + row;
      double ratio = row == 11 ? 10 : 20;
      jmh.add(
          result(
              "ChapterModelBenchmark.trainStep",
              ours,
              "backend",
              "cpu",
              "threads",
              "1",
              "row",
              Integer.toString(row)));
      peerRows.append(String.format("%s | %.1f | %.1f%n", e.getKey(), ours * ratio, 500.0));
    }
    jmh.add(
        result(
            "ChapterModelBenchmark.trainStep", 900, "backend", "cpu", "threads", "1", "row", "14"));
    jmh.add(
        result(
            "ChapterModelBenchmark.inferOne", 12, "backend", "cpu", "threads", "1", "row", "12"));
    jmh.add(result("ConvBenchmark.waveNetInfer16k", 1800, "backend", "cpu", "threads", "1"));
    jmh.add(result(LargeLstmBenchmark.TRAIN_STEP, 150_000, "backend", "cpu", "threads", "1"));
    PeerTimings peer =
        new PeerTimings()
            .addRecurrent(peerRows.toString())
            .addConv("convgru train step us: 18000.0\nwavenet inference 16000 steps us: 52000.0\n")
            .addLargeLstm("large-lstm train step us: 195000.0\n");
    ReproduceRun reproduce = withJvmDefaults().withBounded(bounded());
    return new Round2Data(
        "2026-12-05",
        "box",
        "Test CPU",
        2,
        "JVM 17",
        "abc123 (dirty)",
        "Round2Report",
        quick,
        "0.10 0.20 0.30",
        "1.00 0.90 0.50",
        fma,
        "1 fork, 6 warm-up and 7 measured iterations of 1000 ms",
        "torch 1.13.0a0, device cpu, threads 1, blas generic",
        sweep,
        120_000,
        2_600_000,
        jmh,
        peer,
        reproduce,
        List.of("The whole command took 12.0 minutes."));
  }

  /**
   * reproduce with the JVM's defaults: total 12 s, 420 MB peak, 48 MB live set in a 388 MB heap,
   * the JVM's own memory not tracked.
   */
  static ReproduceRun withJvmDefaults() {
    return new ReproduceRun(
        List.of(), List.of(), 13.5, 12, 420, "/usr/bin/time -v", 48, 388, Double.NaN, null);
  }

  /**
   * reproduce with -Xmx96m (2 x 48 MB, rounded up to 16 MiB): total 12.4 s, 250 MB peak, of which a
   * 100.7 MB heap and 86 MB of the JVM's own, so 63.3 MB of the rest.
   */
  static ReproduceRun bounded() {
    return new ReproduceRun(
        List.of("-Xmx96m"), List.of(), 13.8, 12.4, 250, "/usr/bin/time -v", 55, 100.7, 86, null);
  }

  private static SweepResult at(ShapePoint p, double xFloor, double vsPeer, double fma) {
    double floor = p.floorUs(fma);
    double ours = floor * xFloor;
    return new SweepResult(p, ours, ours * vsPeer, floor, ours * 0.9, ours * 1.1);
  }
}
