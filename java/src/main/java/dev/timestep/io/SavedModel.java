package dev.timestep.io;

import dev.timestep.nn.Sequential;

/**
 * A model read from a file, built and holding its saved weights (and, if it was compiled, its loss,
 * metrics and optimizer state, ready to continue training), with the metadata saved beside it.
 * Closing it closes the model.
 */
public record SavedModel(Sequential model, ModelMetadata metadata) implements AutoCloseable {
  @Override
  public void close() {
    model.close();
  }
}
