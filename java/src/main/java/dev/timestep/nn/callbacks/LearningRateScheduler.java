package dev.timestep.nn.callbacks;

import dev.timestep.nn.Callback;
import dev.timestep.optim.Optimizer;
import java.util.Map;

/**
 * Sets the learning rate before every epoch from a schedule, as Keras' {@code
 * LearningRateScheduler}: {@code rate = schedule(epoch, currentRate)}, epoch 0-based. Adds the rate
 * the epoch trained with to the epoch logs as "learning_rate", as Keras 3 does.
 *
 * <pre>{@code
 * // keep the rate for 10 epochs, then decay it by e^-0.1 per epoch
 * new LearningRateScheduler((epoch, rate) -> epoch < 10 ? rate : rate * Math.exp(-0.1))
 * }</pre>
 */
public final class LearningRateScheduler extends Callback {
  /** A learning rate from the 0-based epoch and the rate in use. */
  @FunctionalInterface
  public interface Schedule {
    double rate(int epoch, double currentRate);
  }

  private final Schedule schedule;

  /** Follows {@code schedule}. */
  public LearningRateScheduler(Schedule schedule) {
    if (schedule == null) {
      throw new IllegalArgumentException("LearningRateScheduler needs a schedule");
    }
    this.schedule = schedule;
  }

  /**
   * Sets the epoch's rate.
   *
   * @throws IllegalArgumentException when the schedule returns a rate that is not finite and > 0
   */
  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    Optimizer optimizer = model().optimizer();
    double rate = schedule.rate(epoch, optimizer.learningRate());
    if (!(rate > 0 && Double.isFinite(rate))) {
      throw new IllegalArgumentException(
          "LearningRateScheduler: the schedule gave "
              + rate
              + " for epoch "
              + (epoch + 1)
              + "; a learning rate must be finite and > 0");
    }
    optimizer.setLearningRate(rate);
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", model().optimizer().learningRate());
  }
}
