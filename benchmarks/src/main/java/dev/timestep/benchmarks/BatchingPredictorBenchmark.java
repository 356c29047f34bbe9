package dev.timestep.benchmarks;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Sequential;
import dev.timestep.stream.BatchingPredictor;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many caller threads each forecasting one 50-step series with the chapter's LSTM(20) x2 ->
 * TD(Dense(10)) on the cpu backend: through one {@link BatchingPredictor} (batches of up to 64, a
 * 200 µs deadline) against each thread calling {@code predict} itself, with 1, 8 and 64 threads.
 * Sample time, so JMH reports each call's p50 and p99 latency; throughput = threads / mean.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
public class BatchingPredictorBenchmark extends StepBenchmark {
  private Sequential net;
  private BatchingPredictor batching;
  private NDArray sample;
  private NDArray batchOfOne;

  /** Native kernel threads: 1, or 0 for every core (a batch splits its rows over them). */
  @Param({"1"})
  public int kernelThreads;

  @Setup(Level.Trial)
  public void setup() {
    CpuBackend.setThreads(kernelThreads);
    net = ChapterModels.named("lstm").build(10).backend(CpuBackend.get()).seed(1);
    net.build(Shape.of(50, 1));
    batching = new BatchingPredictor(net, 64, Duration.ofNanos(200_000), 4096);
    own(
        () -> {
          batching.close();
          net.close();
        });
    batchOfOne = BenchmarkData.random(1, 50, 1);
    sample = new NDArray(Shape.of(50, 1), batchOfOne.data());
  }

  @Benchmark
  @Threads(1)
  public float[] batched1() throws InterruptedException {
    return batching.predict(sample);
  }

  @Benchmark
  @Threads(8)
  public float[] batched8() throws InterruptedException {
    return batching.predict(sample);
  }

  @Benchmark
  @Threads(64)
  public float[] batched64() throws InterruptedException {
    return batching.predict(sample);
  }

  @Benchmark
  @Threads(1)
  public NDArray direct1() {
    return net.predict(batchOfOne, 1);
  }

  @Benchmark
  @Threads(8)
  public NDArray direct8() {
    return net.predict(batchOfOne, 1);
  }

  @Benchmark
  @Threads(64)
  public NDArray direct64() {
    return net.predict(batchOfOne, 1);
  }
}
