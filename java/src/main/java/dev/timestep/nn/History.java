package dev.timestep.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-epoch values recorded by {@code fit}: "loss", each metric, and "val_" versions. */
public final class History {
  private final List<Map<String, Double>> epochs = new ArrayList<>();
  private final List<Double> seconds = new ArrayList<>();

  void add(Map<String, Double> values, double epochSeconds) {
    epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    seconds.add(epochSeconds);
  }

  public int epochs() {
    return epochs.size();
  }

  /** Values of one epoch (0-based), in a stable order. */
  public Map<String, Double> epoch(int index) {
    return epochs.get(index);
  }

  /** One series across epochs, e.g. {@code series("val_loss")}. */
  public List<Double> series(String name) {
    List<Double> out = new ArrayList<>();
    for (Map<String, Double> e : epochs) {
      if (!e.containsKey(name)) {
        throw new IllegalArgumentException("history has no '" + name + "'; it has " + e.keySet());
      }
      out.add(e.get(name));
    }
    return out;
  }

  /** The value of {@code name} after the last epoch. */
  public double last(String name) {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("history is empty (fit ran no epoch)");
    }
    List<Double> s = series(name);
    return s.get(s.size() - 1);
  }

  public double epochSeconds(int index) {
    return seconds.get(index);
  }

  @Override
  public String toString() {
    return "History" + epochs;
  }
}
