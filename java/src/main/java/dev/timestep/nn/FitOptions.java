package dev.timestep.nn;

import dev.timestep.tensor.NDArray;

/**
 * Settings of one {@code fit} call, Keras' defaults: 1 epoch, batch 32, shuffled, no
 * validation. Fluent: {@code FitOptions.defaults().epochs(20).validation(xv, yv)}.
 */
public final class FitOptions {
  private int epochs = 1;
  private int batchSize = 32;
  private boolean shuffle = true;
  private long seed = 42;
  private NDArray validationX;
  private NDArray validationY;
  private TrainingListener listener = TrainingListener.NONE;

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
