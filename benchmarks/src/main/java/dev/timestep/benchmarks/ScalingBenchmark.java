package dev.timestep.benchmarks;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How time grows with the size of the work, on the native CPU backend: one training step of the
 * chapter's LSTM seq-to-seq model (LSTM(hidden) x2 -> TimeDistributed(Dense(10))) for a batch size,
 * series length and hidden size, and WaveNet inference on one series of a given length.
 *
 * <p>The defaults are the chapter's sizes; sweep one size at a time, e.g. {@code -p
 * batch=1,8,32,128,512,1024}, as {@link BenchReport} does (the sweeps are in {@link ScalingSweep}).
 * Each state holds its own parameters, so a WaveNet run does not multiply with the LSTM's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScalingBenchmark {

  /** The LSTM seq-to-seq model at one batch size, series length and hidden size. */
  @State(Scope.Benchmark)
  public static class LstmWork {
    /** Series per training batch. */
    @Param({"32"})
    public int batch;

    /** Steps per series. */
    @Param({"50"})
    public int steps;

    /** Units of each LSTM layer. */
    @Param({"20"})
    public int hidden;

    Sequential net;
    NDArray x;
    NDArray y;

    @Setup(Level.Trial)
    public void setup() {
      Backend b = BenchmarkBackends.resolve("cpu", "ScalingBenchmark");
      net =
          new Sequential(
                  new LSTM(hidden).returnSequences(true),
                  new LSTM(hidden).returnSequences(true),
                  new TimeDistributed(new Dense(10)))
              .backend(b)
              .seed(1);
      net.compile(Loss.mse(), new Adam());
      x = BenchmarkData.random(batch, steps, 1);
      y = BenchmarkData.random(batch, steps, 10);
      net.trainOnBatch(x, y);
    }

    @TearDown(Level.Trial)
    public void release() {
      net.close();
    }
  }

  /** The chapter's WaveNet and one series of a given length. */
  @State(Scope.Benchmark)
  public static class WaveNetWork {
    /** Steps of the series to forecast. */
    @Param({"16000"})
    public int length;

    Sequential net;
    NDArray series;

    @Setup(Level.Trial)
    public void setup() {
      Backend b = BenchmarkBackends.resolve("cpu", "ScalingBenchmark");
      net = new Sequential().backend(b).seed(1);
      for (int repeat = 0; repeat < 2; repeat++) {
        for (int rate : new int[] {1, 2, 4, 8}) {
          net.add(
              new Conv1D(20, 2)
                  .padding(ConvPadding.CAUSAL)
                  .activation(Activation.RELU)
                  .dilationRate(rate));
        }
      }
      net.add(new Conv1D(10, 1));
      series = BenchmarkData.random(1, length, 1);
      net.predict(series, 1); // builds the model outside the measurement
    }

    @TearDown(Level.Trial)
    public void release() {
      net.close();
    }
  }

  /** One LSTM training step (forward, MSE, backward, Adam). */
  @Benchmark
  public float lstmTrainStep(LstmWork work) {
    return work.net.trainOnBatch(work.x, work.y);
  }

  /** WaveNet forecasts for every step of one series. */
  @Benchmark
  public NDArray waveNetInfer(WaveNetWork work) {
    return work.net.predict(work.series, 1);
  }
}
