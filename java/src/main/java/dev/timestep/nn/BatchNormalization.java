package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * Keras' BatchNormalization over the last axis (on sequences: statistics over batch and time).
 * Training normalizes with the batch's mean and variance and updates moving averages (momentum
 * 0.99); inference uses the moving averages. γ ones, β zeros, ε 1e-3.
 */
public final class BatchNormalization extends ChannelNormalization {
  private static final float MOMENTUM = 0.99f;
  private int movingMean;
  private int movingVar;

  @Override
  public String name() {
    return "BatchNormalization";
  }

  @Override
  protected void declareState(int channels, ParameterStore store) {
    movingMean =
        store.declareState(
            "batch_normalization/moving_mean", Shape.of(channels), Initializer.zeros());
    movingVar =
        store.declareState(
            "batch_normalization/moving_variance", Shape.of(channels), Initializer.constant(1f));
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    ParameterStore store = checked(input);
    Backend b = tape.backend();
    if (!training) {
      Variable y = tape.result(input.shape());
      b.batchNormInference(
          input.value(),
          gamma().value(),
          beta().value(),
          store.state(movingMean),
          store.state(movingVar),
          y.value());
      return y;
    }
    Tensor mean = tape.allocate(Shape.of(features()));
    Tensor var = tape.allocate(Shape.of(features()));
    Variable y = Ops.batchNorm(tape, input, gamma(), beta(), mean, var);
    updateMovingAverage(b, store.state(movingMean), mean);
    updateMovingAverage(b, store.state(movingVar), var);
    return y;
  }

  /** moving = momentum·moving + (1 - momentum)·batch; C values, so on the host. */
  private static void updateMovingAverage(Backend b, Tensor moving, Tensor batch) {
    float[] m = b.download(moving).data();
    float[] s = b.download(batch).data();
    for (int i = 0; i < m.length; i++) {
      m[i] = MOMENTUM * m[i] + (1 - MOMENTUM) * s[i];
    }
    b.upload(NDArray.of(m, m.length), moving);
  }
}
