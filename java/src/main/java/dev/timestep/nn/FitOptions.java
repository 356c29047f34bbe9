package dev.timestep.nn;

import dev.timestep.tensor.NDArray;
import java.util.List;

/**
 * Settings of one {@code fit} call, Keras' defaults: 1 epoch, batch 32, shuffled, no validation.
 * Fluent: {@code FitOptions.defaults().epochs(20).validation(xv, yv)}.
 */
public final class FitOptions {
  private int epochs = 1;
  private int batchSize = 32;
  private boolean shuffle = true;
  private long seed = 42;
  private NDArray validationX;
  private NDArray validationY;
  private List<NDArray> validationInputs;
  private List<NDArray> validationTargets;
  private TrainingListener listener = TrainingListener.NONE;
  private int syncEvery;

  public static FitOptions defaults() {
    return new FitOptions();
  }

  /** Passes over the training data, at least 1. */
  public FitOptions epochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  public FitOptions batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** Seed of the shuffling order. */
  public FitOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  public FitOptions validation(NDArray x, NDArray y) {
    if ((x == null) != (y == null)) {
      throw new IllegalArgumentException("validation data needs both X and Y (or neither)");
    }
    this.validationX = x;
    this.validationY = y;
    this.validationInputs = x == null ? null : List.of(x);
    this.validationTargets = y == null ? null : List.of(y);
    return this;
  }

  /**
   * Validation data for a functional {@link Model} with several inputs or outputs: one array per
   * model input and one per output, in the model's order (Keras' {@code validation_data=([x1, x2],
   * [y1, y2])}).
   */
  public FitOptions validation(List<NDArray> inputs, List<NDArray> targets) {
    if ((inputs == null) != (targets == null)) {
      throw new IllegalArgumentException(
          "validation data needs both inputs and targets (or neither)");
    }
    if (inputs != null
        && (inputs.stream().anyMatch(a -> a == null)
            || targets.stream().anyMatch(a -> a == null))) {
      throw new IllegalArgumentException("validation inputs and targets must not contain null");
    }
    this.validationInputs = inputs == null ? null : List.copyOf(inputs);
    this.validationTargets = targets == null ? null : List.copyOf(targets);
    this.validationX = inputs == null || inputs.size() != 1 ? null : inputs.get(0);
    this.validationY = targets == null || targets.size() != 1 ? null : targets.get(0);
    return this;
  }

  public FitOptions listener(TrainingListener listener) {
    this.listener = listener == null ? TrainingListener.NONE : listener;
    return this;
  }

  /**
   * How many batches run between two reads of the loss back to the host: 0 (the default) lets the
   * backend choose ({@code Backend.syncInterval()}: 1 on the CPU backends, where a read costs
   * nothing, more on a GPU, where every read waits for the device to finish). With n > 1 the loss,
   * the metrics and the finiteness of the weights are accumulated on the backend and read every n
   * batches and at the end of each epoch; the listener's {@code onBatchEnd} is called then, for the
   * last batch read; and a run that diverges stops at the end of that window, naming its batches,
   * with the weights from before the window.
   */
  public FitOptions syncEvery(int batches) {
    if (batches < 0) {
      throw new IllegalArgumentException(
          "syncEvery must be >= 0 batches (0: the backend's choice), got " + batches);
    }
    this.syncEvery = batches;
    return this;
  }

  /** Batches between host reads of the loss; 0: the backend's choice. */
  public int syncEvery() {
    return syncEvery;
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public long seed() {
    return seed;
  }

  public NDArray validationX() {
    return validationX;
  }

  public NDArray validationY() {
    return validationY;
  }

  /** The validation inputs, one array per model input, or null for none. */
  public List<NDArray> validationInputs() {
    return validationInputs;
  }

  /** The validation targets, one array per model output, or null for none. */
  public List<NDArray> validationTargets() {
    return validationTargets;
  }

  public TrainingListener listener() {
    return listener;
  }
}
