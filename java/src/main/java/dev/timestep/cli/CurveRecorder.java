package dev.timestep.cli;

import dev.timestep.nn.Callback;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each epoch's values, so that code that trains out of sight (a reproduce row) still yields
 * learning curves.
 */
final class CurveRecorder extends Callback {
  private final List<Map<String, Double>> epochs = new ArrayList<>();

  @Override
  public synchronized void onEpochEnd(int epoch, Map<String, Double> values) {
    epochs.add(new LinkedHashMap<>(values));
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
