package dev.timestep.benchmarks;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;

/**
 * Timestep's model at one {@link ShapePoint}, compiled with MSE and Adam, with seeded random inputs
 * and targets; {@link #trainStep} is the work the sweep times. Close it to free the model.
 */
final class SweepModel implements AutoCloseable {
  private final Sequential net;
  private final NDArray x;
  private final NDArray y;

  SweepModel(ShapePoint p, Backend backend) {
    net = build(p).backend(backend).seed(1);
    net.compile(Loss.mse(), new Adam());
    int features = p.cell().recurrent() ? ShapePoint.RECURRENT_FEATURES : 1;
    int outputs = p.cell().recurrent() ? 1 : ShapePoint.WAVENET_HORIZON;
    x = BenchmarkData.seeded(1, p.batch(), p.steps(), features);
    y = BenchmarkData.seeded(2, p.batch(), p.steps(), outputs);
  }

  private static Sequential build(ShapePoint p) {
    int w = p.width();
    return switch (p.cell()) {
      case LSTM ->
          new Sequential(
              new LSTM(w).returnSequences(true),
              new LSTM(w).returnSequences(true),
              new TimeDistributed(new Dense(1)));
      case GRU ->
          new Sequential(
              new GRU(w).returnSequences(true),
              new GRU(w).returnSequences(true),
              new TimeDistributed(new Dense(1)));
      case SIMPLE_RNN ->
          new Sequential(
              new SimpleRNN(w).returnSequences(true),
              new SimpleRNN(w).returnSequences(true),
              new TimeDistributed(new Dense(1)));
      case WAVENET -> {
        Sequential net = new Sequential();
        for (int rate : ShapePoint.WAVENET_RATES) {
          net.add(
              new Conv1D(w, ShapePoint.WAVENET_KERNEL)
                  .padding(ConvPadding.CAUSAL)
                  .activation(Activation.RELU)
                  .dilationRate(rate));
        }
        net.add(new Conv1D(ShapePoint.WAVENET_HORIZON, 1));
        yield net;
      }
    };
  }

  /** One training step: forward, MSE, backward, Adam; returns the loss. */
  float trainStep() {
    return net.trainOnBatch(x, y);
  }

  @Override
  public void close() {
    net.close();
  }
}
