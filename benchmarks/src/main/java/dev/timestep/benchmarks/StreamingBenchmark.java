package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Sequential;
import dev.timestep.stream.ForecastStream;
import dev.timestep.stream.StreamingForecaster;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming forecasts on the chapter's seq-to-seq models (horizon 10): one point pushed into one
 * stream ({@code push}: carried states for lstm and gru, a 50-point ring buffer and a full pass for
 * wavenet), the batch forecast it replaces over a 50- and a 200-step window ({@code predict50},
 * {@code predict200}), and one batched push of 10,000 streams ({@code pushBatch10k}: divide 10,000
 * by its time for points per second). Native kernels on one thread.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
public class StreamingBenchmark extends StepBenchmark {
  private static final int STREAMS = 10_000;

  /** The chapter model: lstm, gru (incremental) or wavenet (full window). */
  @Param({"lstm", "gru", "wavenet"})
  public String model;

  /** reference, cpu or cuda. */
  @Param({"cpu"})
  public String backend;

  private Sequential net;
  private StreamingForecaster forecaster;
  private ForecastStream stream;
  private List<ForecastStream> many;
  private float[][] points;
  private NDArray window50;
  private NDArray window200;
  private int t;

  @Setup(Level.Trial)
  public void setup() {
    Backend b = BenchmarkBackends.resolve(backend, "StreamingBenchmark");
    if (b instanceof CpuBackend) {
      CpuBackend.setThreads(1);
    }
    net = ChapterModels.named(model).build(10).backend(b).seed(1);
    net.build(Shape.of(50, 1));
    forecaster = StreamingForecaster.of(net);
    own(
        () -> {
          forecaster.close();
          net.close();
        });
    stream = forecaster.open();
    stream.warmUp(BenchmarkData.random(50, 1));
    many = new ArrayList<>(STREAMS);
    points = new float[STREAMS][];
    for (int i = 0; i < STREAMS; i++) {
      many.add(forecaster.open());
      points[i] = new float[] {(float) Math.sin(i)};
    }
    window50 = BenchmarkData.random(1, 50, 1);
    window200 = BenchmarkData.random(1, 200, 1);
  }

  @Benchmark
  public float[] push() {
    return stream.push((float) Math.sin(0.1 * (t++ & 1023)));
  }

  @Benchmark
  public NDArray predict50() {
    return net.predict(window50, 1);
  }

  @Benchmark
  public NDArray predict200() {
    return net.predict(window200, 1);
  }

  @Benchmark
  public float[][] pushBatch10k() {
    return forecaster.push(many, points);
  }
}
