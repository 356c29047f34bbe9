package dev.timestep.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One fused Adam step over 4M parameters (4096 x 1024 = 4,194,304, the size of the large Dense
 * kernel): a memory-bandwidth benchmark (28 bytes read or written per parameter, about 112 MiB per
 * step). The reference backend is included because it stays practical here (tens of milliseconds
 * per step).
 */
public class AdamLargeBenchmark extends StepBenchmark {
  static final int PARAMETERS = 4096 * 1024;

  /** reference, cpu or cuda. */
  @Param({"reference", "cpu"})
  public String backend;

  /** Only "large": 4,194,304 parameters. */
  @Param({"large"})
  public String size;

  private AdamStep adam;

  @Setup(Level.Trial)
  public void setup() {
    if (!"large".equals(size)) {
      throw new IllegalArgumentException(
          "AdamLargeBenchmark: size must be 'large', got '"
              + size
              + "'; the chapter sizes are AdamBenchmark");
    }
    adam = own(AdamStep.open(BenchmarkBackends.resolve(backend, "AdamLargeBenchmark"), PARAMETERS));
  }

  @Benchmark
  public long step() {
    return adam.step();
  }
}
