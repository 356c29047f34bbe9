package dev.timestep.benchmarks;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.SplittableRandom;

/**
 * One {@link Adam} step over a parameter arena of a given size: a single fused {@code Backend.adam}
 * call over values, gradients and both moment buffers (4 reads and 3 writes per parameter). The
 * gradients are fixed random values set once; the moments and the step counter evolve as in
 * training.
 */
final class AdamStep implements AutoCloseable {
  private final Backend backend;
  private final ParameterStore store = new ParameterStore();
  private final Adam adam = new Adam();

  private AdamStep(Backend backend, int parameters, long seed) {
    this.backend = backend;
    store.declare("arena", Shape.of(parameters), Initializer.glorotUniform());
    store.allocate(backend, seed);
    SplittableRandom random = new SplittableRandom(seed + 1);
    float[] g = new float[parameters];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) ((random.nextDouble() * 2 - 1) * 1e-2);
    }
    backend.upload(NDArray.of(g, parameters), store.grads());
    adam.step(store); // allocates the moment buffers outside the measured steps
    backend.synchronize();
  }

  static AdamStep open(Backend backend, int parameters) {
    return new AdamStep(backend, parameters, 7);
  }

  /** One optimizer step; returns the step count so JMH has something to consume. */
  long step() {
    adam.step(store);
    backend.synchronize();
    return adam.iterations();
  }

  @Override
  public void close() {
    try {
      adam.close();
    } finally {
      store.close();
    }
  }
}
