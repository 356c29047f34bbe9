package dev.timestep.benchmarks;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * One training step of a linear Dense layer written with the Tape/Ops API, the work a Sequential
 * model does per batch minus the optimizer: {@code y = x·W + b}, {@code loss = mean((y -
 * target)^2)}, zero the gradients, backpropagate, read the loss.
 *
 * <p>The input, target and parameter arena are allocated once ({@link #open}) and freed by {@link
 * #close}; each {@link #step} allocates its intermediates on a fresh tape, exactly as training
 * does.
 */
final class DenseStep implements AutoCloseable {
  private final Backend backend;
  private final Scope data = new Scope();
  private final ParameterStore store = new ParameterStore();
  private final Tensor x;
  private final Tensor target;
  private final Parameter kernel;
  private final Parameter bias;

  private DenseStep(Backend backend, int batch, int inputs, int units, long seed) {
    this.backend = backend;
    int kernelIndex =
        store.declare("dense/kernel", Shape.of(inputs, units), Initializer.glorotUniform());
    int biasIndex = store.declare("dense/bias", Shape.of(units), Initializer.zeros());
    store.allocate(backend, seed);
    kernel = store.get(kernelIndex);
    bias = store.get(biasIndex);
    SplittableRandom random = new SplittableRandom(seed + 1);
    x = backend.upload(uniform(random, batch, inputs), data);
    target = backend.upload(uniform(random, batch, units), data);
    backend.synchronize();
  }

  /** Allocates a {@code [batch, inputs] -> [batch, units]} problem on {@code backend}. */
  static DenseStep open(Backend backend, int batch, int inputs, int units) {
    return new DenseStep(backend, batch, inputs, units, 42);
  }

  private static NDArray uniform(SplittableRandom random, int rows, int cols) {
    float[] v = new float[Math.multiplyExact(rows, cols)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return NDArray.of(v, rows, cols);
  }

  /** One forward + backward pass; returns the loss (reading it waits for the device). */
  float step() {
    try (Tape tape = new Tape(backend)) {
      Variable y = Ops.addBias(tape, Ops.matmul(tape, tape.constant(x), kernel), bias);
      Variable loss = Ops.mse(tape, y, tape.constant(target));
      store.zeroGrads();
      tape.backward(loss);
      backend.synchronize();
      return backend.readScalar(loss.value());
    }
  }

  @Override
  public void close() {
    try {
      data.close();
    } finally {
      store.close();
    }
  }
}
