package dev.timestep.nn.callbacks;

import dev.timestep.nn.Callback;
import java.util.Map;

/**
 * Stops training when a monitored value has stopped improving, with Keras' semantics and defaults:
 * monitor "val_loss", minDelta 0, patience 0, mode AUTO, no baseline, no restoring, startFromEpoch
 * 0.
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.defaults().epochs(100).validationSplit(0.2)
 *     .callbacks(new EarlyStopping().patience(5).restoreBestWeights(true)));
 * }</pre>
 *
 * <p>After each epoch from {@code startFromEpoch} on, the value counts as an improvement when it
 * beats the best so far by more than {@code minDelta}; training stops at the end of the epoch (not
 * the first) where {@code patience} epochs have passed since the last improvement. With a baseline,
 * an improvement resets the count only if it also beats the baseline, so a run that never beats it
 * stops after {@code patience} epochs.
 *
 * <p>With {@code restoreBestWeights}, the weights (and batch-normalization statistics) of the best
 * epoch are copied to the heap when seen, and put back when training ends, whether it stopped early
 * or ran every epoch (Keras 3); the first monitored epoch counts as best until one improves on it,
 * even when it misses the baseline. A fit that throws restores nothing.
 *
 * <p>Unlike Keras, which warns and goes on, a monitored value missing from the epoch logs throws
 * {@link IllegalArgumentException} after the first epoch; and each fit starts from a fresh best.
 */
public final class EarlyStopping extends Callback {
  private String monitorKey = "val_loss";
  private Mode mode = Mode.AUTO;
  private double minDelta;
  private int patience;
  private Double baseline;
  private boolean restoreBestWeights;
  private int startFromEpoch;

  private Monitor monitor;
  private double best;
  private int wait;
  private int bestEpoch;
  private int stoppedEpoch;
  private WeightSnapshot bestWeights;

  /** The value watched in the epoch logs; "val_loss" by default. */
  public EarlyStopping monitor(String key) {
    new Monitor("EarlyStopping", key, mode); // refuses a blank name now
    this.monitorKey = key;
    return this;
  }

  /** Whether lower or higher is better; AUTO (from the name) by default. */
  public EarlyStopping mode(Mode mode) {
    new Monitor("EarlyStopping", monitorKey, mode);
    this.mode = mode;
    return this;
  }

  /** The least change that counts as an improvement (its absolute value, as Keras takes it). */
  public EarlyStopping minDelta(double minDelta) {
    if (!Double.isFinite(minDelta)) {
      throw new IllegalArgumentException("EarlyStopping: minDelta must be finite, got " + minDelta);
    }
    this.minDelta = Math.abs(minDelta);
    return this;
  }

  /** Epochs without improvement before training stops; 0 by default. */
  public EarlyStopping patience(int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + epochs);
    }
    this.patience = epochs;
    return this;
  }

  /** A value the monitored one must beat for an improvement to reset the patience count. */
  public EarlyStopping baseline(double baseline) {
    if (!Double.isFinite(baseline)) {
      throw new IllegalArgumentException("EarlyStopping: baseline must be finite, got " + baseline);
    }
    this.baseline = baseline;
    return this;
  }

  /** Whether to put back the best epoch's weights when training ends; false by default. */
  public EarlyStopping restoreBestWeights(boolean restore) {
    this.restoreBestWeights = restore;
    return this;
  }

  /** Epochs of warm-up (0-based epochs below this are not monitored); 0 by default. */
  public EarlyStopping startFromEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException(
          "EarlyStopping: startFromEpoch must be >= 0, got " + epoch);
    }
    this.startFromEpoch = epoch;
    return this;
  }

  /** The 0-based epoch at which the last fit stopped early; -1 if it did not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The 0-based epoch with the best monitored value in the last fit (0 before any). */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best monitored value of the last fit (infinite before any). */
  public double best() {
    return best;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    monitor = new Monitor("EarlyStopping", monitorKey, mode);
    best = monitor.worst();
    wait = 0;
    bestEpoch = 0;
    stoppedEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    double current = monitor.value(logs);
    if (epoch < startFromEpoch) {
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      bestWeights = WeightSnapshot.of(model());
      bestEpoch = epoch;
    }
    wait++;
    if (monitor.improves(current, best, minDelta)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = WeightSnapshot.of(model());
      }
      if (baseline == null || monitor.improves(current, baseline, minDelta)) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      stopTraining();
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (restoreBestWeights && bestWeights != null) {
      bestWeights.restore(model());
    }
    bestWeights = null; // the heap copy is not kept past the fit
  }
}
