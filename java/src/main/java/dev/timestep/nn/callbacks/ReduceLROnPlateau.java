package dev.timestep.nn.callbacks;

import dev.timestep.nn.Callback;
import dev.timestep.optim.Optimizer;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when a monitored value has stopped improving for
 * {@code patience} epochs, with Keras' semantics and defaults: monitor "val_loss", factor 0.1,
 * patience 10, mode AUTO, minDelta 1e-4, cooldown 0, minLr 0.
 *
 * <p>After each epoch: a value below the best by more than {@code minDelta} (above, in MAX mode) is
 * a new best and resets the count of epochs without one; otherwise, outside a cooldown, the count
 * grows, and when it reaches {@code patience} the rate becomes {@code max(rate * factor, minLr)}
 * (unless it is already at {@code minLr}), the count restarts and {@code cooldown} epochs follow in
 * which nothing is counted. Adds the rate the epoch trained with to the epoch logs as
 * "learning_rate" (so the history records it), as Keras 3 does. A monitored value missing from the
 * logs throws {@link IllegalArgumentException} (Keras warns).
 */
public final class ReduceLROnPlateau extends Callback {
  private String monitorKey = "val_loss";
  private Mode mode = Mode.AUTO;
  private double factor = 0.1;
  private int patience = 10;
  private double minDelta = 1e-4;
  private int cooldown;
  private double minLr;

  private Monitor monitor;
  private double best;
  private int wait;
  private int cooldownLeft;

  /** The value watched in the epoch logs; "val_loss" by default. */
  public ReduceLROnPlateau monitor(String key) {
    new Monitor("ReduceLROnPlateau", key, mode);
    this.monitorKey = key;
    return this;
  }

  /** Whether lower or higher is better; AUTO (from the name) by default. */
  public ReduceLROnPlateau mode(Mode mode) {
    new Monitor("ReduceLROnPlateau", monitorKey, mode);
    this.mode = mode;
    return this;
  }

  /** What the rate is multiplied by, in (0, 1); 0.1 by default. */
  public ReduceLROnPlateau factor(double factor) {
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau: factor must be in (0, 1) (new rate = rate * factor), got " + factor);
    }
    this.factor = factor;
    return this;
  }

  /** Epochs without improvement before the rate is reduced; 10 by default. */
  public ReduceLROnPlateau patience(int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + epochs);
    }
    this.patience = epochs;
    return this;
  }

  /** The least change that counts as an improvement; 1e-4 by default. */
  public ReduceLROnPlateau minDelta(double minDelta) {
    if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau: minDelta must be finite and >= 0, got " + minDelta);
    }
    this.minDelta = minDelta;
    return this;
  }

  /** Epochs after a reduction in which nothing is counted; 0 by default. */
  public ReduceLROnPlateau cooldown(int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + epochs);
    }
    this.cooldown = epochs;
    return this;
  }

  /** The lowest rate a reduction goes to; 0 by default. */
  public ReduceLROnPlateau minLr(double minLr) {
    if (!(minLr >= 0 && Double.isFinite(minLr))) {
      throw new IllegalArgumentException(
          "ReduceLROnPlateau: minLr must be finite and >= 0, got " + minLr);
    }
    this.minLr = minLr;
    return this;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    monitor = new Monitor("ReduceLROnPlateau", monitorKey, mode);
    best = monitor.worst();
    wait = 0;
    cooldownLeft = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Optimizer optimizer = model().optimizer();
    double rate = optimizer.learningRate();
    logs.put("learning_rate", rate);
    double current = monitor.value(logs);
    if (cooldownLeft > 0) {
      cooldownLeft--;
      wait = 0;
    }
    if (monitor.improves(current, best, minDelta)) {
      best = current;
      wait = 0;
    } else if (cooldownLeft == 0) {
      wait++;
      if (wait >= patience && rate > minLr) {
        optimizer.setLearningRate(Math.max(rate * factor, minLr));
        cooldownLeft = cooldown;
        wait = 0;
      }
    }
  }
}
