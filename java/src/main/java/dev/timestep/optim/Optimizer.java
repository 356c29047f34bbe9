package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.tensor.Tensor;
import java.util.List;

/** Updates a model's parameters from their accumulated gradients. */
public interface Optimizer extends AutoCloseable {
  /** Applies one update to every parameter of {@code store} (gradients are already summed). */
  void step(ParameterStore store);

  /** Number of steps taken so far. */
  long iterations();

  /** The learning rate the next {@link #step} uses. */
  double learningRate();

  /**
   * Changes the learning rate from the next {@link #step} on (schedules and plateau callbacks call
   * this between batches or epochs); the optimizer's state is kept.
   *
   * @throws IllegalArgumentException when {@code learningRate} is not finite and > 0
   */
  void setLearningRate(double learningRate);

  /**
   * The state this optimizer keeps on the backend (Adam: its moment estimates), empty before its
   * first step or when it keeps none. {@code fit} treats a NaN or infinite value here as
   * divergence, as it does a non-finite weight: every later update would be computed from it (an
   * infinite second moment makes its weights' updates 0 for good).
   */
  default List<Tensor> state() {
    return List.of();
  }

  /** Frees any state held in backend memory. */
  @Override
  void close();
}
