package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
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

  /** Keras' {@code model.get_weights()}: every layer's weights in Keras' order and layouts. */
  List<NDArray> getWeights();

  /** Keras' {@code model.set_weights(weights)}: checked in full before anything changes. */
  void setWeights(List<NDArray> weights);

  /** Keras' {@code model.summary()}. */
  String summary();

  @Override
  void close();
}
