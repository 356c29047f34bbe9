package dev.timestep.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The same Dense step as {@link DenseBenchmark} at a throughput size: batch 4096, 1024 inputs, 1024
 * units. Three 4096x1024x1024 matmuls (forward, dX, dW), about 25.8 GFLOP per step, so this
 * measures the matmul kernels. Runs on cpu by default ({@code -p backend=cuda} on a GPU host). The
 * pure-Java reference is refused: one step takes minutes there.
 */
public class DenseLargeBenchmark extends StepBenchmark {
  static final int BATCH = 4096;
  static final int INPUTS = 1024;
  static final int UNITS = 1024;

  /** cpu or cuda (reference is refused: far too slow at this size). */
  @Param({"cpu"})
  public String backend;

  /** Only "large": batch 4096, 1024 inputs, 1024 units. */
  @Param({"large"})
  public String size;

  private DenseStep dense;

  @Setup(Level.Trial)
  public void setup() {
    if (!"large".equals(size)) {
      throw new IllegalArgumentException(
          "DenseLargeBenchmark: size must be 'large' (4096x1024 -> 1024), got '"
              + size
              + "'; the chapter sizes are DenseBenchmark");
    }
    if (backend.trim().toLowerCase(java.util.Locale.ROOT).startsWith("reference")) {
      throw new IllegalArgumentException(
          "DenseLargeBenchmark: the reference backend is excluded at 4096x1024 -> "
              + "1024 (pure-Java triple loops, minutes per step); use -p backend=cpu or -p backend=cuda");
    }
    dense =
        own(
            DenseStep.open(
                BenchmarkBackends.resolve(backend, "DenseLargeBenchmark"), BATCH, INPUTS, UNITS));
  }

  @Benchmark
  public float step() {
    return dense.step();
  }
}
