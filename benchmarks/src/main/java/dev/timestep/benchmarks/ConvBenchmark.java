package dev.timestep.benchmarks;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The chapter's convolutional models: one training step (forward, backward, Adam) at batch 32 x 50
 * steps of the WaveNet (8 causal dilated Conv1D(20, 2) + Conv1D(10, 1)) and of the Conv-GRU
 * (Conv1D(20, 4, stride 2) -> GRU(20) x2 -> Dense(10)); and WaveNet inference on one series of
 * 16,000 steps (one second of 16 kHz audio).
 */
public class ConvBenchmark extends StepBenchmark {

  /** reference, cpu or cuda. */
  @Param({"cpu"})
  public String backend;

  /**
   * Threads of the native CPU kernels: 1, 2, ... or 0 for every core (ignored off the cpu backend).
   */
  @Param({"0"})
  public int threads;

  private Sequential waveNet;
  private Sequential convGru;
  private NDArray x;
  private NDArray yWave;
  private NDArray yConv;
  private NDArray audio;

  @Setup(Level.Trial)
  public void setup() {
    Backend b = BenchmarkBackends.resolve(backend, "ConvBenchmark");
    if (b instanceof CpuBackend) {
      CpuBackend.setThreads(threads);
    }
    waveNet = new Sequential().backend(b).seed(1);
    for (int repeat = 0; repeat < 2; repeat++) {
      for (int rate : new int[] {1, 2, 4, 8}) {
        waveNet.add(
            new Conv1D(20, 2)
                .padding(ConvPadding.CAUSAL)
                .activation(Activation.RELU)
                .dilationRate(rate));
      }
    }
    waveNet.add(new Conv1D(10, 1));
    convGru =
        new Sequential(
                new Conv1D(20, 4).strides(2),
                new GRU(20).returnSequences(true),
                new GRU(20).returnSequences(true),
                new TimeDistributed(new Dense(10)))
            .backend(b)
            .seed(1);
    own(
        () -> {
          waveNet.close();
          convGru.close();
        });
    waveNet.compile(Loss.mse(), new Adam());
    convGru.compile(Loss.mse(), new Adam());
    x = BenchmarkData.random(32, 50, 1);
    yWave = BenchmarkData.random(32, 50, 10);
    yConv = BenchmarkData.random(32, 24, 10);
    audio = BenchmarkData.random(1, 16_000, 1);
    waveNet.trainOnBatch(x, yWave); // builds models and optimizer state outside the measurement
    convGru.trainOnBatch(x, yConv);
  }

  @Benchmark
  public float waveNetTrainStep() {
    return waveNet.trainOnBatch(x, yWave);
  }

  @Benchmark
  public float convGruTrainStep() {
    return convGru.trainOnBatch(x, yConv);
  }

  /** One series of 16,000 steps through the WaveNet (all 16,000 x 10 outputs). */
  @Benchmark
  public NDArray waveNetInfer16k() {
    return waveNet.predict(audio, 1);
  }
}
