package dev.timestep.cli;

import dev.timestep.nn.TrainingListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes every callback on to another listener and keeps each epoch's values, so that code that
 * trains out of sight (a reproduce row) still yields learning curves.
 */
final class RecordingListener implements TrainingListener {
  private final TrainingListener next;
  private final List<Map<String, Double>> epochs = new ArrayList<>();

  RecordingListener(TrainingListener next) {
    this.next = next == null ? TrainingListener.NONE : next;
  }

  @Override
  public void onEpochStart(int epoch, int epochCount, int batches) {
    next.onEpochStart(epoch, epochCount, batches);
  }

  @Override
  public void onBatchEnd(int epoch, int batch, int batches, double meanLoss) {
    next.onBatchEnd(epoch, batch, batches, meanLoss);
  }

  @Override
  public synchronized void onEpochEnd(
      int epoch, int epochCount, Map<String, Double> values, double seconds) {
    epochs.add(new LinkedHashMap<>(values));
    next.onEpochEnd(epoch, epochCount, values, seconds);
  }

  /**
   * The curves recorded so far, name -> one value per epoch (NaN where an epoch lacked it); empty
   * if none.
   */
  synchronized Map<String, double[]> curves() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map<String, Double> e : epochs) {
      for (String name : e.keySet()) {
        out.computeIfAbsent(name, k -> new double[epochs.size()]);
      }
    }
    for (Map.Entry<String, double[]> c : out.entrySet()) {
      for (int i = 0; i < epochs.size(); i++) {
        c.getValue()[i] = epochs.get(i).getOrDefault(c.getKey(), Double.NaN);
      }
    }
    return out;
  }
}
