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
 * Training normalizes with the batch's mean and variance and updates moving averages
 * (momentum 0.99); inference uses the moving averages. γ ones, β zeros, ε 1e-3.
 */
public final class BatchNormalization implements Layer {
  private static final float MOMENTUM = 0.99f;
  private ParameterStore store;
  private int channels = -1;
  private int gamma;
  private int beta;
  private int movingMean;
  private int movingVar;

  @Override
  public String name() {
    return "BatchNormalization";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    channels = inputShape.dim(-1);
    if (channels < 1) {
      throw new IllegalArgumentException(name() + ": the last axis of " + inputShape + " is empty");
    }
    this.store = store;
    gamma = store.declare("batch_norm/gamma", Shape.of(channels), Initializer.constant(1f));
    beta = store.declare("batch_norm/beta", Shape.of(channels), Initializer.zeros());
    movingMean = store.declareState("batch_norm/moving_mean", Shape.of(channels), Initializer.zeros());
    movingVar = store.declareState("batch_norm/moving_variance", Shape.of(channels), Initializer.constant(1f));
    return inputShape;
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    if (channels >= 0 && inputShape.dim(-1) != channels) {
      throw new IllegalArgumentException(name() + " was built for " + channels + " channels but got samples "
          + inputShape);
    }
    return inputShape;
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    outputShape(input.shape().dropFirst());
    Backend b = tape.backend();
    if (!training) {
      Variable y = tape.result(input.shape());
      b.batchNormInference(input.value(), store.get(gamma).value(), store.get(beta).value(),
          store.state(movingMean), store.state(movingVar), y.value());
      return y;
    }
    Tensor mean = tape.allocate(Shape.of(channels));
    Tensor var = tape.allocate(Shape.of(channels));
    Variable y = Ops.batchNorm(tape, input, store.get(gamma), store.get(beta), mean, var);
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
