package dev.timestep.nn.callbacks;

import dev.timestep.nn.Callback;
import dev.timestep.nn.TrainingDivergedException;
import java.util.Map;

/**
 * Ends training quietly when the loss goes NaN or infinite, as Keras' {@code TerminateOnNaN}: fit
 * then returns the history so far instead of throwing {@link TrainingDivergedException}.
 *
 * <p>fit's divergence check still runs first: the step (or sync window) that went non-finite is
 * undone, so the model keeps the last finite weights, and the diverged epoch is recorded with NaN
 * training values (its validation values come from those weights). The optimizer's state may hold
 * the failed step: compile with a new optimizer to train on. {@link #stoppedAt()} says where it
 * stopped.
 */
public final class TerminateOnNaN extends Callback {
  private int epoch;
  private String stoppedAt;

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    stoppedAt = null;
  }

  @Override
  public void onEpochBegin(int epoch, Map<String, Double> logs) {
    this.epoch = epoch;
  }

  @Override
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && !Double.isFinite(loss)) {
      stoppedAt = "epoch " + (epoch + 1) + ", batch " + (batch + 1);
      stopTraining();
    }
  }

  /** Where the last fit stopped on a non-finite loss ("epoch 3, batch 7"); null if it did not. */
  public String stoppedAt() {
    return stoppedAt;
  }
}
