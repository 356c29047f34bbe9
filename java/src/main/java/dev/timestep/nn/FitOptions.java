package dev.timestep.nn;

import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one {@code fit} call, Keras' defaults: 1 epoch, batch 32, shuffled, no validation, no
 * callbacks; but silent ({@code verbose 0}) where Keras prints a progress bar, since a library must
 * not write into its host application's output unasked. Fluent: {@code
 * FitOptions.defaults().epochs(20).validation(xv, yv).callbacks(new EarlyStopping())}.
 */
public final class FitOptions {
  private int epochs = 1;
  private int batchSize = 32;
  private boolean shuffle = true;
  private long seed = 42;
  private NDArray validationX;
  private NDArray validationY;
  private double validationSplit;
  private List<Callback> callbacks = List.of();
  private int verbose;
  private List<NDArray> validationInputs;
  private List<NDArray> validationTargets;
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

  /**
   * Validation data, evaluated after every epoch into the "val_" logs. Takes precedence over {@link
   * #validationSplit}, as Keras' {@code validation_data} does.
   */
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

  /**
   * Holds out the last {@code fraction} of the rows of x and y, taken before any shuffling, as
   * validation data (Keras' {@code validation_split}): the first {@code floor(n * (1 - fraction))}
   * rows train. 0 (the default) holds out nothing; ignored when {@link #validation} data is given.
   * fit refuses a split that leaves either part empty.
   *
   * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
   */
  public FitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "validationSplit must be in [0, 1) (the fraction of rows held out), got " + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  /**
   * The callbacks fit runs, in this order (replacing any given before); Keras' {@code callbacks}.
   *
   * @throws IllegalArgumentException for a null callback or one listed twice
   */
  public FitOptions callbacks(Callback... callbacks) {
    if (callbacks == null) {
      throw new IllegalArgumentException("callbacks must not be null (pass none for none)");
    }
    Map<Callback, Boolean> seen = new IdentityHashMap<>();
    List<Callback> list = new ArrayList<>();
    for (int i = 0; i < callbacks.length; i++) {
      Callback c = callbacks[i];
      if (c == null) {
        throw new IllegalArgumentException("callback " + (i + 1) + " is null");
      }
      if (seen.put(c, Boolean.TRUE) != null) {
        throw new IllegalArgumentException(
            "callback " + (i + 1) + " (" + c.getClass().getSimpleName() + ") is listed twice");
      }
      list.add(c);
    }
    this.callbacks = Collections.unmodifiableList(list);
    return this;
  }

  /**
   * Progress output on standard output, Keras' {@code verbose}: 0 none (the default here), 1 a
   * {@link ProgressBar} redrawn in place when standard output is a terminal (one line per epoch
   * when it is not), 2 one line per epoch. For another stream, pass a {@link ProgressBar} as a
   * callback instead.
   *
   * @throws IllegalArgumentException unless 0, 1 or 2
   */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException(
          "verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got " + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /**
   * How many batches run between two reads of the loss back to the host: 0 (the default) lets the
   * backend choose ({@code Backend.syncInterval()}: 1 on the CPU backends, where a read costs
   * nothing, more on a GPU, where every read waits for the device to finish). With n > 1 the loss,
   * the metrics and the finiteness of the weights are accumulated on the backend and read every n
   * batches and at the end of each epoch; the callbacks' {@code onTrainBatchEnd} runs then, for the
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

  /** The fraction of rows held out for validation; 0: none. */
  public double validationSplit() {
    return validationSplit;
  }

  /** The callbacks, in order (unmodifiable). */
  public List<Callback> callbacks() {
    return callbacks;
  }

  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  public int verbose() {
    return verbose;
  }

  /** The validation inputs, one array per model input, or null for none. */
  public List<NDArray> validationInputs() {
    return validationInputs;
  }

  /** The validation targets, one array per model output, or null for none. */
  public List<NDArray> validationTargets() {
    return validationTargets;
  }
}
