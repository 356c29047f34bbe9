package dev.timestep.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One fused Adam step ({@code optim.Adam} -> {@code Backend.adam}) over the parameter arena of the
 * chapter's linear models: 50 inputs into 1 unit (51 parameters) or 10 units (510). At these sizes
 * the step is one native call, so this measures call overhead. The 4M-parameter case is {@link
 * AdamLargeBenchmark}.
 */
public class AdamBenchmark extends StepBenchmark {
  static final int INPUTS = 50;

  /** reference, cpu or cuda. */
  @Param({"reference", "cpu"})
  public String backend;

  /** Only "chapter" here; see {@link AdamLargeBenchmark}. */
  @Param({"chapter"})
  public String size;

  /** Units of the chapter model whose arena is updated: (50 + 1) * units parameters. */
  @Param({"1", "10"})
  public int units;

  private AdamStep adam;

  @Setup(Level.Trial)
  public void setup() {
    if (!"chapter".equals(size)) {
      throw new IllegalArgumentException(
          "AdamBenchmark: size must be 'chapter', got '"
              + size
              + "'; the 4M-parameter case is AdamLargeBenchmark");
    }
    adam =
        own(
            AdamStep.open(
                BenchmarkBackends.resolve(backend, "AdamBenchmark"), (INPUTS + 1) * units));
  }

  @Benchmark
  public long step() {
    return adam.step();
  }
}
