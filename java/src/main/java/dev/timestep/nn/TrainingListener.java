package dev.timestep.nn;

import java.util.Map;

/** Progress callbacks from {@code fit}; every method has a do-nothing default. */
public interface TrainingListener {
  default void onEpochStart(int epoch, int epochs, int batches) {}

  /** After each batch; {@code meanLoss} is the running mean over the epoch so far. */
  default void onBatchEnd(int epoch, int batch, int batches, double meanLoss) {}

  default void onEpochEnd(int epoch, int epochs, Map<String, Double> values, double seconds) {}

  TrainingListener NONE = new TrainingListener() {};
}
