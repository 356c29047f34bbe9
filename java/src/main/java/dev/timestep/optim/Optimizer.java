package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;

/** Updates a model's parameters from their accumulated gradients. */
public interface Optimizer extends AutoCloseable {
  /** Applies one update to every parameter of {@code store} (gradients are already summed). */
  void step(ParameterStore store);

  /** Number of steps taken so far. */
  long iterations();

  /** Frees any state held in backend memory. */
  @Override
  void close();
}
