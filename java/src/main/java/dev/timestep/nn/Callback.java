package dev.timestep.nn;

import java.util.Map;

/**
 * Code that {@code fit} runs at the start and end of training, of each epoch and of each batch,
 * with Keras' hooks and logs. Every hook does nothing unless overridden.
 *
 * <p>Logs map a name to a value. A batch's logs hold the epoch's running means so far ({@code
 * "loss"} and each metric); an epoch's logs hold the epoch's {@code "loss"}, each metric and, with
 * validation data, the {@code "val_"} versions. Epoch logs are one map passed to every callback in
 * turn, so a callback may add to them (the learning-rate callbacks add {@code "learning_rate"}, as
 * Keras 3's do) and later callbacks and the {@link History} see it. The begin hooks get empty logs,
 * as in Keras.
 *
 * <p>Inside a hook, {@link #model()} is the model being trained (a {@link Sequential} or a
 * functional {@link Model}), {@link #params()} what fit was asked to do, and {@link
 * #stopTraining()} is Keras' {@code model.stop_training = True}: asked in an epoch hook, training
 * ends after that epoch; asked in a batch hook, after that batch (the epoch is then cut short: it
 * is validated and recorded over the batches it ran).
 *
 * <p>A callback serves one fit at a time; it may be reused by later fits (each starts with {@link
 * #onTrainBegin}, where callbacks reset their state). Batch hooks run once per sync window (see
 * {@link FitOptions#syncEvery}): begin with its first batch, end with its last.
 */
public abstract class Callback {
  /** The fit a callback is attached to while it runs. */
  static final class Binding {
    final TrainableModel model;
    final FitParams params;
    boolean stopTraining;

    Binding(TrainableModel model, FitParams params) {
      this.model = model;
      this.params = params;
    }
  }

  private Binding binding;

  /** Once, before the first epoch. */
  public void onTrainBegin(Map<String, Double> logs) {}

  /** Once, after the last epoch run (not after a fit that throws); logs: the last epoch's. */
  public void onTrainEnd(Map<String, Double> logs) {}

  /** Before epoch {@code epoch} (0-based). */
  public void onEpochBegin(int epoch, Map<String, Double> logs) {}

  /** After epoch {@code epoch} (0-based) and its validation; logs may be added to. */
  public void onEpochEnd(int epoch, Map<String, Double> logs) {}

  /** Before batch {@code batch} (0-based, within the epoch). */
  public void onTrainBatchBegin(int batch, Map<String, Double> logs) {}

  /**
   * After batch {@code batch} (0-based, within the epoch); logs: the epoch's running means. A batch
   * that diverged reports a NaN {@code "loss"}: fit then throws {@link TrainingDivergedException}
   * unless a callback stops training here.
   */
  public void onTrainBatchEnd(int batch, Map<String, Double> logs) {}

  /**
   * The model being trained.
   *
   * @throws IllegalStateException outside a fit
   */
  protected final TrainableModel model() {
    return bound().model;
  }

  /**
   * What the running fit was asked to do.
   *
   * @throws IllegalStateException outside a fit
   */
  protected final FitParams params() {
    return bound().params;
  }

  /**
   * Ends training: after the current epoch when called from an epoch hook, after the current batch
   * when called from a batch hook (Keras' {@code model.stop_training = True}).
   *
   * @throws IllegalStateException outside a fit
   */
  protected final void stopTraining() {
    bound().stopTraining = true;
  }

  private synchronized Binding bound() {
    if (binding == null) {
      throw new IllegalStateException(
          getClass().getSimpleName()
              + ": model(), params() and stopTraining() work only inside fit");
    }
    return binding;
  }

  synchronized void attach(Binding b) {
    if (binding != null) {
      throw new IllegalStateException(
          "this "
              + getClass().getSimpleName()
              + " is already attached to a running fit; a callback serves one fit at a time");
    }
    binding = b;
  }

  synchronized void detach(Binding b) {
    if (binding == b) {
      binding = null;
    }
  }
}
