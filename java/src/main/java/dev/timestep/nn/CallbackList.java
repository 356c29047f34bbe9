package dev.timestep.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one fit, called in order, all sharing one stop request. Attaches them on
 * creation and detaches them on close, so a callback is never attached to two fits at once.
 */
final class CallbackList implements AutoCloseable {
  private static final Map<String, Double> EMPTY = Collections.emptyMap();
  private final Callback.Binding binding;
  private final List<Callback> callbacks = new ArrayList<>();

  CallbackList(TrainableModel model, FitParams params, List<Callback> all) {
    binding = new Callback.Binding(model, params);
    try {
      for (Callback c : all) {
        c.attach(binding);
        callbacks.add(c);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Whether a callback asked to end training. */
  boolean stopRequested() {
    return binding.stopTraining;
  }

  void onTrainBegin() {
    for (Callback c : callbacks) {
      c.onTrainBegin(EMPTY);
    }
  }

  void onTrainEnd(Map<String, Double> logs) {
    for (Callback c : callbacks) {
      c.onTrainEnd(logs);
    }
  }

  void onEpochBegin(int epoch) {
    for (Callback c : callbacks) {
      c.onEpochBegin(epoch, EMPTY);
    }
  }

  void onEpochEnd(int epoch, Map<String, Double> logs) {
    for (Callback c : callbacks) {
      c.onEpochEnd(epoch, logs);
    }
  }

  void onTrainBatchBegin(int batch) {
    for (Callback c : callbacks) {
      c.onTrainBatchBegin(batch, EMPTY);
    }
  }

  void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    for (Callback c : callbacks) {
      c.onTrainBatchEnd(batch, logs);
    }
  }

  @Override
  public void close() {
    for (Callback c : callbacks) {
      c.detach(binding);
    }
    callbacks.clear();
  }
}
