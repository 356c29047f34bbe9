package dev.timestep.nn;

import dev.timestep.tensor.NDArray;

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

  public TrainingListener listener() {
    return listener;
  }
}
