package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured times of one chapter model on one backend and thread count, gathered from the JMH
 * results of {@link ChapterModelBenchmark}, {@link RecurrentBenchmark} and {@link ConvBenchmark}.
 *
 * @param workload the chapter row
 * @param source the benchmark class that measured it (short: ChapterModel, Recurrent, Conv)
 * @param backend reference, cpu or cuda
 * @param threads native CPU threads (0 = every core)
 * @param trainUs median µs of one training step, NaN when not measured
 * @param inferUs median µs of a 50-step forecast, NaN when not measured
 */
record ModelTiming(
    ChapterWorkload workload,
    String source,
    String backend,
    int threads,
    double trainUs,
    double inferUs) {
  /** RecurrentBenchmark's model names and their rows. */
  private static final Map<String, Integer> RECURRENT_ROWS =
      Map.of("simple", 10, "lstm", 12, "gru", 13);

  /** Training-step time of an epoch (219 steps), in µs. */
  double epochUs() {
    return trainUs * ChapterWorkload.STEPS_PER_EPOCH;
  }

  /**
   * Groups the results that time a chapter model; others (Dense, Adam, the WaveNet on 16,000 steps,
   * scaling) are left out. Order: table row, then as first seen.
   */
  static List<ModelTiming> from(List<BenchResult> results) {
    Map<String, ModelTiming> byKey = new LinkedHashMap<>();
    for (BenchResult r : results) {
      Integer row = rowOf(r);
      if (row == null) {
        continue;
      }
      boolean train = r.method().toLowerCase().contains("train");
      String source = r.benchmarkClass().replace("Benchmark", "");
      String backend = r.param("backend", "cpu");
      int threads = Integer.parseInt(r.param("threads", "0"));
      String key = row + "/" + source + "/" + backend + "/" + threads;
      ModelTiming old =
          byKey.getOrDefault(
              key,
              new ModelTiming(
                  ChapterWorkload.row(row), source, backend, threads, Double.NaN, Double.NaN));
      byKey.put(
          key,
          new ModelTiming(
              old.workload,
              source,
              backend,
              threads,
              train ? r.medianUs() : old.trainUs,
              train ? old.inferUs : r.medianUs()));
    }
    List<ModelTiming> out = new ArrayList<>(byKey.values());
    out.sort((a, b) -> Integer.compare(a.workload.row(), b.workload.row()));
    return out;
  }

  /** The chapter row a result times, or null when it times something else. */
  static Integer rowOf(BenchResult r) {
    switch (r.benchmarkClass()) {
      case "ChapterModelBenchmark":
        return Integer.valueOf(r.param("row", "0"));
      case "RecurrentBenchmark":
        return RECURRENT_ROWS.get(r.param("model", ""));
      case "ConvBenchmark":
        return switch (r.method()) {
          case "waveNetTrainStep" -> 15;
          case "convGruTrainStep" -> 14;
          default -> null;
        };
      default:
        return null;
    }
  }
}
