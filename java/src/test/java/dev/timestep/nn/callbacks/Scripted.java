package dev.timestep.nn.callbacks;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Callback;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.nn.TrainableModel;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Puts a scripted value into the epoch logs (as if the model had measured it) and records the
 * weights and batch-normalization state at the end of every epoch, so a test knows exactly what a
 * callback placed after it saw and which epoch's weights it should have kept.
 */
final class Scripted extends Callback {
  private final String key;
  private final double[] values;
  final List<float[]> weights = new ArrayList<>();
  final List<float[]> state = new ArrayList<>();
  final List<Double> rates = new ArrayList<>();

  Scripted(String key, double... values) {
    this.key = key;
    this.values = values;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    rates.add(model().optimizer().learningRate());
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put(key, values[epoch]);
    weights.add(weightsOf(model()));
    state.add(stateOf(model()));
  }

  static float[] weightsOf(TrainableModel m) {
    return m.backend().download(m.parameters().values()).data();
  }

  /** Every state tensor (batch-normalization moving statistics), concatenated. */
  static float[] stateOf(TrainableModel m) {
    ParameterStore store = m.parameters();
    List<float[]> parts = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < store.stateCount(); i++) {
      float[] p = m.backend().download(store.state(i)).data();
      parts.add(p);
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** A small saveable model with batch-normalization state, on the reference backend. */
  static Sequential model(double learningRate) {
    Sequential m =
        new Sequential(
                new SimpleRNN(3).returnSequences(true),
                new BatchNormalization(),
                new TimeDistributed(new Dense(1)))
            .backend(ReferenceBackend.float32())
            .seed(5);
    m.compile(Loss.mse(), new Adam(learningRate));
    return m;
  }

  /** Inputs [16, 5, 1] and targets [16, 5, 1]. */
  static NDArray[] data() {
    SplittableRandom random = new SplittableRandom(7);
    return new NDArray[] {
      TestArrays.uniform(random, -1, 1, 16, 5, 1), TestArrays.uniform(random, -1, 1, 16, 5, 1)
    };
  }
}
