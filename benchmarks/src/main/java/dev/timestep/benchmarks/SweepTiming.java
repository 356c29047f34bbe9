package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one sweep point is timed, the same on both sides ({@code peer/sweep_torch.py} takes these as
 * flags): up to {@code warmups} untimed calls (at least one, and no more once a third of {@code
 * maxSeconds} has passed), then timed calls until both {@code minRuns} calls and {@code minSeconds}
 * have passed, or until {@code maxSeconds} have passed with at least 3 calls; the median is the
 * point's time. The cap keeps large points short.
 *
 * @param warmups untimed calls at most
 * @param minRuns timed calls at least (unless the cap stops them)
 * @param minSeconds timed seconds at least (unless the cap stops them)
 * @param maxSeconds the cap on timed seconds, reached only with at least 3 calls
 */
record SweepTiming(int warmups, int minRuns, double minSeconds, double maxSeconds) {
  /** Calls always timed, whatever the cap. */
  static final int MIN_CALLS = 3;

  SweepTiming {
    if (warmups < 1 || minRuns < MIN_CALLS || !(minSeconds >= 0) || !(maxSeconds >= minSeconds)) {
      throw new IllegalArgumentException(
          "sweep timing: warm-ups >= 1, runs >= 3 and 0 <= min time <= max time expected, got "
              + warmups
              + ", "
              + minRuns
              + ", "
              + minSeconds
              + ", "
              + maxSeconds);
    }
  }

  /**
   * The full sweep's settings: 2 warm-ups, then 7 calls and 0.5 s, capped at 2 s (the 42 points
   * then take about 3 minutes on both sides together on a quiet 2-core VM, by their FLOPs).
   */
  static SweepTiming standard() {
    return new SweepTiming(2, 7, 0.5, 2.0);
  }

  /** The smoke run's: 1 warm-up, then 3 calls, capped at 0.1 s. */
  static SweepTiming quick() {
    return new SweepTiming(1, 3, 0.0, 0.1);
  }

  /** The same settings as {@code sweep_torch.py} flags. */
  List<String> peerArgs() {
    return List.of(
        "--warmup",
        Integer.toString(warmups),
        "--min-runs",
        Integer.toString(minRuns),
        "--min-time",
        Double.toString(minSeconds),
        "--max-time",
        Double.toString(maxSeconds));
  }

  /** Times {@code call} by these settings; returns the median in µs. */
  double medianUs(Runnable call) {
    long warmStart = System.nanoTime();
    for (int i = 0; i < warmups; i++) {
      call.run();
      if ((System.nanoTime() - warmStart) / 1e9 >= maxSeconds / 3) {
        break;
      }
    }
    List<Double> times = new ArrayList<>();
    long start = System.nanoTime();
    while (true) {
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (times.size() >= minRuns && elapsed >= minSeconds) {
        break;
      }
      if (times.size() >= MIN_CALLS && elapsed >= maxSeconds) {
        break;
      }
      long t0 = System.nanoTime();
      call.run();
      times.add((System.nanoTime() - t0) / 1e3);
    }
    return median(times);
  }

  /** The median of {@code values} (the mean of the middle two for an even count). */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the median of no values");
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
