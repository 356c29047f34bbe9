package dev.timestep.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every Timestep benchmark shares: JMH settings (average time in µs, 1 fork, 3 + 5 one-second
 * iterations) and the release of the work's native or device memory after the trial. Subclasses
 * open their work in a {@code @Setup} method and hand it to {@link #own}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public abstract class StepBenchmark {
  private AutoCloseable owned;

  /** Keeps {@code work} until the trial ends, then closes it. */
  protected <T extends AutoCloseable> T own(T work) {
    owned = work;
    return work;
  }

  @TearDown(Level.Trial)
  public void release() throws Exception {
    if (owned != null) {
      owned.close();
      owned = null;
    }
  }
}
