package dev.timestep.benchmarks;

import java.util.List;

/**
 * Everything one report shows: where and how it was measured, the FMA floor, the JMH results and
 * the PyTorch peer's.
 *
 * @param run when and how it was measured (date, JVM, commit, command, JMH settings, peer)
 * @param host the machine's short name
 * @param cpu the CPU model
 * @param cores logical CPUs
 * @param fmaGflops1 the measured FMA rate of one thread, GFLOP/s
 * @param fmaGflopsAll the measured FMA rate of {@code allThreads} threads, GFLOP/s
 * @param allThreads threads of the all-core measurement
 * @param results JMH results of the model benchmarks (and any others included)
 * @param scaling JMH results of {@link ScalingBenchmark}
 * @param peer the PyTorch peer's medians, or null when the peer did not run
 */
record ReportData(
    Provenance run,
    String host,
    String cpu,
    int cores,
    double fmaGflops1,
    double fmaGflopsAll,
    int allThreads,
    List<BenchResult> results,
    List<BenchResult> scaling,
    PeerTimings peer) {
  ReportData {
    if (!(fmaGflops1 > 0) || !(fmaGflopsAll > 0)) {
      throw new IllegalArgumentException(
          "the FMA rates must be positive GFLOP/s, got " + fmaGflops1 + " and " + fmaGflopsAll);
    }
    results = List.copyOf(results);
    scaling = List.copyOf(scaling);
  }

  /** Seconds the floor takes for {@code flops} on one thread. */
  double floorSeconds1(double flops) {
    return flops / (fmaGflops1 * 1e9);
  }

  /** Seconds the floor takes for {@code flops} on every thread. */
  double floorSecondsAll(double flops) {
    return flops / (fmaGflopsAll * 1e9);
  }
}
