package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured point of a {@link ScalingSweep}.
 *
 * @param size the swept parameter's value
 * @param us the median time of one call, µs
 * @param flops FLOPs of one call
 */
record ScalingPoint(int size, double us, double flops) {
  /**
   * The points of {@code sweep} among {@code results}: results of its method whose other sizes are
   * at their defaults, in the sweep's order.
   */
  static List<ScalingPoint> of(ScalingSweep sweep, List<BenchResult> results) {
    List<ScalingPoint> out = new ArrayList<>();
    for (int value : sweep.values()) {
      for (BenchResult r : results) {
        if (r.benchmark().equals("ScalingBenchmark." + sweep.method())
            && atDefaultsExcept(r, sweep.param())
            && r.param(sweep.param(), "").equals(Integer.toString(value))) {
          out.add(new ScalingPoint(value, r.medianUs(), sweep.flops().applyAsDouble(value)));
          break;
        }
      }
    }
    return out;
  }

  private static boolean atDefaultsExcept(BenchResult r, String swept) {
    for (var e : ScalingSweep.DEFAULTS.entrySet()) {
      if (!e.getKey().equals(swept)
          && r.params().containsKey(e.getKey())
          && !r.params().get(e.getKey()).equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }
}
