package dev.timestep.nn.callbacks;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.nn.TrainableModel;
import dev.timestep.tensor.NDArray;

/**
 * A heap copy of every weight of a model and of its non-trainable state (batch normalization's
 * moving statistics): the parameter arena and each state tensor, downloaded as they are. The
 * optimizer's state is not part of it, as Keras' {@code get_weights} holds none.
 */
final class WeightSnapshot {
  private final NDArray values;
  private final NDArray[] state;

  private WeightSnapshot(NDArray values, NDArray[] state) {
    this.values = values;
    this.state = state;
  }

  /** Copies the weights of a built model. */
  static WeightSnapshot of(TrainableModel model) {
    ParameterStore store = model.parameters();
    Backend backend = store.backend();
    NDArray[] state = new NDArray[store.stateCount()];
    for (int i = 0; i < state.length; i++) {
      state[i] = backend.download(store.state(i));
    }
    return new WeightSnapshot(backend.download(store.values()), state);
  }

  /** Puts the copied weights back into {@code model}, the model they were taken from. */
  void restore(TrainableModel model) {
    ParameterStore store = model.parameters();
    Backend backend = store.backend();
    backend.upload(values, store.values());
    for (int i = 0; i < state.length; i++) {
      backend.upload(state[i], store.state(i));
    }
  }
}
