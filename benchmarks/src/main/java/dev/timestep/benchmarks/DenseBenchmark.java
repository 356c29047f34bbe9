package dev.timestep.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One Dense training step (forward, MSE loss, backward; no optimizer) at the book's sizes: a batch
 * of 32 samples with 50 features into 1 or 10 linear units, the chapter's linear models. Measures
 * per-step overhead (tape bookkeeping, allocation, one native call per op) far more than
 * arithmetic.
 *
 * <p>{@code size} has the single value "chapter"; the 4096x1024 -> 1024 case is {@link
 * DenseLargeBenchmark}, kept apart so that a default run stays short and never runs the pure-Java
 * reference on 8.6-GFLOP matmuls. {@code -p backend=cuda} selects the GPU; without one the setup
 * fails with the reason and JMH goes on with the next combination.
 */
public class DenseBenchmark extends StepBenchmark {

  /** reference, cpu or cuda. */
  @Param({"reference", "cpu"})
  public String backend;

  /** Only "chapter" here (batch 32, 50 inputs); see {@link DenseLargeBenchmark}. */
  @Param({"chapter"})
  public String size;

  /** Output units: 1 (regression) and 10 (the chapter's multi-output model). */
  @Param({"1", "10"})
  public int units;

  private DenseStep dense;

  @Setup(Level.Trial)
  public void setup() {
    if (!"chapter".equals(size)) {
      throw new IllegalArgumentException(
          "DenseBenchmark: size must be 'chapter' (batch 32, 50 inputs), got '"
              + size
              + "'; the 4096x1024 -> 1024 case is DenseLargeBenchmark");
    }
    dense =
        own(DenseStep.open(BenchmarkBackends.resolve(backend, "DenseBenchmark"), 32, 50, units));
  }

  @Benchmark
  public float step() {
    return dense.step();
  }
}
