package dev.timestep.nn;

import java.util.List;

/**
 * What a model with stateful recurrent layers needs from its callers: {@code fit} must keep sample
 * i of each batch the continuation of sample i of the batch before, so it may not shuffle, and
 * every batch must have the same size.
 */
final class StatefulLayers {
  private StatefulLayers() {}

  /** The first stateful recurrent layer of {@code layers}, or null. */
  static RecurrentLayer first(List<Layer> layers) {
    for (Layer l : layers) {
      if (l instanceof RecurrentLayer r && r.isStateful()) {
        return r;
      }
    }
    return null;
  }

  /** Forgets the carried states of every stateful recurrent layer. */
  static void reset(List<Layer> layers) {
    for (Layer l : layers) {
      if (l instanceof RecurrentLayer r) {
        r.resetStates();
      }
    }
  }

  /**
   * Refuses, before any training, a fit that would hand a stateful layer's states to unrelated
   * samples: shuffled batches, or a sample count (training or validation) that leaves a last batch
   * of another size.
   */
  static void checkFit(List<Layer> layers, int samples, FitOptions options) {
    RecurrentLayer r = first(layers);
    if (r == null || samples < 1) {
      return; // no samples: FitLoop's own checks say so
    }
    if (options.shuffle()) {
      throw new IllegalArgumentException(
          "fit: "
              + r.name()
              + " carries sample i's states into sample i of the next batch, which shuffling"
              + " would give to another sample; pass FitOptions.shuffle(false)");
    }
    int batchSize = Math.min(options.batchSize(), samples);
    requireWholeBatches(r, "training", samples, batchSize);
    if (options.validationX() != null && options.validationX().shape().rank() > 0) {
      requireWholeBatches(r, "validation", options.validationX().dim(0), batchSize);
    }
  }

  private static void requireWholeBatches(
      RecurrentLayer r, String what, int samples, int batchSize) {
    if (samples % batchSize != 0) {
      throw new IllegalArgumentException(
          "fit: "
              + r.name()
              + " needs every batch of the same size, but "
              + samples
              + " "
              + what
              + " samples do not split into batches of "
              + batchSize);
    }
  }
}
