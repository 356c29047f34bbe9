package dev.timestep.io;

import dev.timestep.nn.Model;

/**
 * A functional model read from a file ({@link ModelFile#loadFunctional}), built and holding its
 * saved weights (and, if it was compiled, its loss, loss weights, metrics and optimizer state),
 * with the metadata saved beside it. Closing it closes the model.
 */
public record SavedFunctional(Model model, ModelMetadata metadata) implements AutoCloseable {
  @Override
  public void close() {
    model.close();
  }
}
