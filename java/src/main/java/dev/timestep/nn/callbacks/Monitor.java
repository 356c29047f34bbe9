package dev.timestep.nn.callbacks;

import java.util.Locale;
import java.util.Map;

/** The value a callback watches in the epoch logs, and what counts as an improvement of it. */
final class Monitor {
  private final String owner;
  private final String key;
  private final boolean lowerIsBetter;

  /** {@code owner} names the callback in messages. */
  Monitor(String owner, String key, Mode mode) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(owner + ": name the value to monitor, e.g. \"val_loss\"");
    }
    if (mode == null) {
      throw new IllegalArgumentException(owner + ": mode must not be null (AUTO, MIN or MAX)");
    }
    this.owner = owner;
    this.key = key;
    this.lowerIsBetter =
        switch (mode) {
          case MIN -> true;
          case MAX -> false;
          case AUTO -> !higherIsBetter(key);
        };
  }

  private static boolean higherIsBetter(String key) {
    String name = key.startsWith("val_") ? key.substring(4) : key;
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("acc") || lower.contains("auc");
  }

  String key() {
    return key;
  }

  boolean lowerIsBetter() {
    return lowerIsBetter;
  }

  /** The worst possible value, where a search for the best starts. */
  double worst() {
    return lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /**
   * Whether {@code current} beats {@code reference} by more than {@code minDelta} (Keras: {@code
   * current - minDelta < reference} when lower is better). NaN never improves.
   */
  boolean improves(double current, double reference, double minDelta) {
    return lowerIsBetter ? current + minDelta < reference : current - minDelta > reference;
  }

  /**
   * The monitored value in {@code logs}.
   *
   * @throws IllegalArgumentException when the logs lack it, naming the keys they have
   */
  double value(Map<String, Double> logs) {
    Double v = logs.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          owner
              + " monitors '"
              + key
              + "', which the epoch logs do not have; they have "
              + logs.keySet()
              + (key.startsWith("val_")
                  ? " (val_ values need FitOptions.validation or validationSplit)"
                  : ""));
    }
    return v;
  }
}
