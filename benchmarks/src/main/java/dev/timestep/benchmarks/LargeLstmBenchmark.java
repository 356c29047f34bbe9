package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The large LSTM of the GPU speed table: one layer of 256 units over 256 inputs, batch 64, 100
 * steps. One training step: forward over the whole sequence (every step's output), MSE against a
 * [64, 100, 256] target, backward, Adam; the same work as {@code peer/large_lstm_torch.py}. Its
 * products ([6400, 256] x [256, 1024] and their transposes) are large enough that GEMM speed, not
 * launch latency, decides the time.
 */
public class LargeLstmBenchmark extends StepBenchmark {
  static final int BATCH = 64;
  static final int STEPS = 100;
  static final int FEATURES = 256;
  static final int UNITS = 256;

  /** The result name of {@link #trainStep} in reports. */
  static final String TRAIN_STEP = "LargeLstmBenchmark.trainStep";

  /**
   * FLOPs of one training step: the report's convention (3 x forward + MSE + Adam) less the input
   * gradient x.W^T it counts, which a first layer never computes (its input needs none; PyTorch
   * skips it too).
   */
  static double trainStepFlops() {
    double inputGradient = 2.0 * BATCH * STEPS * FEATURES * 4 * UNITS;
    return ModelFlops.input(STEPS, FEATURES).lstm(UNITS, true).trainStepFlops(BATCH)
        - inputGradient;
  }

  /** cpu or cuda (reference is refused: minutes per step). */
  @Param({"cpu"})
  public String backend;

  /** Native CPU kernel threads: 1, 2, ... or 0 for every core (ignored off the cpu backend). */
  @Param({"0"})
  public int threads;

  private Sequential net;
  private NDArray x;
  private NDArray y;

  @Setup(Level.Trial)
  public void setup() {
    if ("reference".equals(backend)) {
      throw new IllegalArgumentException(
          "LargeLstmBenchmark: the reference backend needs minutes per step at "
              + "this size; use -p backend=cpu or -p backend=cuda");
    }
    Backend b = BenchmarkBackends.resolve(backend, "LargeLstmBenchmark");
    if (b instanceof CpuBackend) {
      CpuBackend.setThreads(threads);
    }
    net = own(new Sequential(new LSTM(UNITS).returnSequences(true)).backend(b).seed(1));
    net.compile(Loss.mse(), new Adam());
    x = BenchmarkData.random(BATCH, STEPS, FEATURES);
    y =
        BenchmarkData.seeded(
            2, BATCH, STEPS, UNITS); // not random(...): x has the same count, hence seed
    net.trainOnBatch(x, y); // builds the layer and the optimizer state outside the measurement
  }

  /** Forward, loss, backward and Adam on [64, 100, 256]. */
  @Benchmark
  public float trainStep() {
    return net.trainOnBatch(x, y);
  }
}
