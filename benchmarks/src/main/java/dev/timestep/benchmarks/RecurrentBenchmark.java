package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The chapter's seq-to-seq recurrent models (two recurrent layers of 20 units, return sequences,
 * then TimeDistributed(Dense(10))): one training step (forward, backward, Adam) on a batch of 32
 * series of 50 steps, and single-series inference (batch 1, 50 steps).
 */
public class RecurrentBenchmark extends StepBenchmark {

  /** reference, cpu or cuda. */
  @Param({"reference", "cpu"})
  public String backend;

  /** simple, lstm or gru. */
  @Param({"simple", "lstm", "gru"})
  public String model;

  private Sequential net;
  private NDArray x;
  private NDArray y;
  private NDArray one;

  @Setup(Level.Trial)
  public void setup() {
    Backend b = BenchmarkBackends.resolve(backend, "RecurrentBenchmark");
    IntFunction<RecurrentLayer> layer =
        switch (model) {
          case "simple" -> units -> new SimpleRNN(units).returnSequences(true);
          case "lstm" -> units -> new LSTM(units).returnSequences(true);
          case "gru" -> units -> new GRU(units).returnSequences(true);
          default ->
              throw new IllegalArgumentException(
                  "RecurrentBenchmark: model must be simple, lstm or gru, got " + model);
        };
    net =
        own(
            new Sequential(layer.apply(20), layer.apply(20), new TimeDistributed(new Dense(10)))
                .backend(b)
                .seed(1));
    net.compile(Loss.mse(), new Adam());
    x = BenchmarkData.random(32, 50, 1);
    y = BenchmarkData.random(32, 50, 10);
    one = BenchmarkData.random(1, 50, 1);
    net.trainOnBatch(x, y); // builds the model and the optimizer state outside the measurement
  }

  /** One training step on a batch of 32 series of 50 steps. */
  @Benchmark
  public float trainStep() {
    return net.trainOnBatch(x, y);
  }

  /** A forecast for one series of 50 steps (all 50 x 10 outputs). */
  @Benchmark
  public NDArray inferOne() {
    return net.predict(one, 1);
  }
}
