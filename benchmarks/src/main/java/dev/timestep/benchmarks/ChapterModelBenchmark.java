package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Every trainable model of the chapter's table, built by the library's {@code ChapterModels}
 * exactly as {@code reproduce} trains it: one training step (forward, MSE, backward, Adam) on a
 * batch of 32 series of 50 steps, and a forecast for one series of 50 steps. {@code row} picks the
 * model (see {@link ChapterWorkload}); {@code -p row=12} is the LSTM.
 */
public class ChapterModelBenchmark extends StepBenchmark {

  /** reference, cpu or cuda. */
  @Param({"cpu"})
  public String backend;

  /** Native CPU kernel threads: 1, 2, ... or 0 for every core (ignored off the cpu backend). */
  @Param({"0"})
  public int threads;

  /** The chapter table's row: 2-5 and 8-15. */
  @Param({"2", "3", "4", "5", "8", "9", "10", "11", "12", "13", "14", "15"})
  public int row;

  private Sequential net;
  private NDArray x;
  private NDArray y;
  private NDArray one;

  @Setup(Level.Trial)
  public void setup() {
    ChapterWorkload workload = ChapterWorkload.row(row);
    Backend b = BenchmarkBackends.resolve(backend, "ChapterModelBenchmark");
    if (b instanceof CpuBackend) {
      CpuBackend.setThreads(threads);
    }
    ChapterModel model = ChapterModels.named(workload.model());
    int steps = ChapterWorkload.STEPS;
    model.checkWindow(steps);
    net = own(model.build(workload.horizon()).backend(b).seed(1));
    net.compile(Loss.mse(), new Adam());
    x = BenchmarkData.random(ChapterWorkload.BATCH, steps, 1);
    if (model.layout() == WindowSpec.Layout.VECTOR) {
      y = BenchmarkData.random(ChapterWorkload.BATCH, workload.horizon());
    } else {
      int outputSteps = (steps - 1 - model.outputStart()) / model.outputEvery() + 1;
      y = BenchmarkData.random(ChapterWorkload.BATCH, outputSteps, workload.horizon());
    }
    one = BenchmarkData.random(1, steps, 1);
    net.trainOnBatch(x, y); // builds the model and the optimizer state outside the measurement
  }

  /** One training step on a batch of 32 series of 50 steps. */
  @Benchmark
  public float trainStep() {
    return net.trainOnBatch(x, y);
  }

  /** A forecast for one series of 50 steps. */
  @Benchmark
  public NDArray inferOne() {
    return net.predict(one, 1);
  }
}
