package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import java.util.List;

/**
 * What {@link Sequential} and the functional {@link Model} both are to code that trains them, such
 * as a {@link Callback} ({@link Callback#model()}): Keras' {@code keras.Model} as a callback sees
 * it.
 */
public interface TrainableModel extends AutoCloseable {
  Backend backend();

  /** The weights and state of the built model, in one arena. */
  ParameterStore parameters();

  /** The compiled optimizer, or null before compile. */
  Optimizer optimizer();

  /** The layers, each once, in the order they run. */
  List<Layer> layers();

  boolean isBuilt();

  boolean isClosed();

  /** Keras' {@code model.summary()}. */
  String summary();

  @Override
  void close();
}
