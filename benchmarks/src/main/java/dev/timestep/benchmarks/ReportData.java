package dev.timestep.benchmarks;

import java.util.List;

/**
 * Everything one report shows: where and how it was measured, the FMA floor, the JMH results
 * and the PyTorch peer's.
 *
 * @param date the day, {@code yyyy-MM-dd}
 * @param host the machine's short name
 * @param cpu the CPU model
 * @param cores logical CPUs
 * @param java the JVM's version and vendor
 * @param commit the git commit (and "dirty" when the tree was), or "unknown"
 * @param command the command line that made the report
 * @param settings the JMH settings in words
 * @param fmaGflops1 the measured FMA rate of one thread, GFLOP/s
 * @param fmaGflopsAll the measured FMA rate of {@code allThreads} threads, GFLOP/s
 * @param allThreads threads of the all-core measurement
 * @param results JMH results of the model benchmarks (and any others included)
 * @param scaling JMH results of {@link ScalingBenchmark}
 * @param peer the PyTorch peer's medians, or null when the peer did not run
 * @param peerNote why the peer did not run, or the torch versions it printed
 */
record ReportData(String date, String host, String cpu, int cores, String java, String commit, String command,
    String settings, double fmaGflops1, double fmaGflopsAll, int allThreads, List<BenchResult> results,
    List<BenchResult> scaling, PeerTimings peer, String peerNote) {
  ReportData {
    if (!(fmaGflops1 > 0) || !(fmaGflopsAll > 0)) {
      throw new IllegalArgumentException("the FMA rates must be positive GFLOP/s, got " + fmaGflops1 + " and "
          + fmaGflopsAll);
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
