package dev.timestep.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-epoch values recorded by {@code fit}, as Keras' {@code History}: "loss", each metric, the
 * "val_" versions and anything callbacks added to the epoch logs (e.g. "learning_rate"). Recorded
 * after the callbacks' {@code onEpochEnd}, so a fit that is stopped early holds only the epochs it
 * ran.
 */
public final class History {
  private final List<Map<String, Double>> epochs = new ArrayList<>();
  private final List<Double> seconds = new ArrayList<>();
  private final FitParams params;

  /** An empty history (no epochs, zero params). */
  public History() {
    this(new FitParams(0, 0, 0));
  }

  History(FitParams params) {
    this.params = params;
  }

  void add(Map<String, Double> values, double epochSeconds) {
    epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    seconds.add(epochSeconds);
  }

  /** What the fit was asked to do (Keras' {@code history.params}). */
  public FitParams params() {
    return params;
  }

  /** The number of epochs run. */
  public int epochs() {
    return epochs.size();
  }

  /** The 0-based index of every epoch run (Keras' {@code history.epoch}). */
  public List<Integer> epoch() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < epochs.size(); i++) {
      out.add(i);
    }
    return out;
  }

  /** Values of one epoch (0-based), in a stable order. */
  public Map<String, Double> epoch(int index) {
    return epochs.get(index);
  }

  /** Every recorded name, in the order first seen. */
  public Set<String> keys() {
    Set<String> out = new LinkedHashSet<>();
    for (Map<String, Double> e : epochs) {
      out.addAll(e.keySet());
    }
    return out;
  }

  /**
   * One value per epoch (Keras' {@code history.history["val_loss"]}); NaN for an epoch that lacked
   * it (a key a callback began adding later).
   *
   * @throws IllegalArgumentException when no epoch has {@code name}
   */
  public double[] get(String name) {
    if (!keys().contains(name)) {
      throw new IllegalArgumentException("history has no '" + name + "'; it has " + keys());
    }
    double[] out = new double[epochs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = epochs.get(i).getOrDefault(name, Double.NaN);
    }
    return out;
  }

  /** One series across epochs, e.g. {@code series("val_loss")}; every epoch must have it. */
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

  /**
   * A table, one row per epoch (numbered from 1, as progress lines number them) and one column per
   * key, aligned; "-" where an epoch lacks a key.
   */
  @Override
  public String toString() {
    List<String> header = new ArrayList<>();
    header.add("epoch");
    header.addAll(keys());
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < epochs.size(); i++) {
      List<String> row = new ArrayList<>();
      row.add(String.valueOf(i + 1));
      for (String key : header.subList(1, header.size())) {
        Double v = epochs.get(i).get(key);
        row.add(v == null ? "-" : String.format(Locale.ROOT, "%.6g", v));
      }
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, header, width);
    for (List<String> row : rows) {
      appendRow(sb, row, width);
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        line.append("  ");
      }
      line.append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length()));
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }
}
