package dev.timestep.reproduce;

import dev.timestep.backend.Backend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Splits;
import dev.timestep.nn.Callback;
import dev.timestep.nn.FitOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** What every row runs with: backend, training settings, and the data sets (made once). */
public final class RowContext {
  private final Backend backend;
  private final int epochs;
  private final int batchSize;
  private final long seed;
  private final List<Callback> callbacks;
  private final Map<String, Splits> data;

  public RowContext(Backend backend, int epochs, int batchSize, long seed, Callback... callbacks) {
    this(backend, epochs, batchSize, seed, List.of(callbacks), new ConcurrentHashMap<>());
  }

  private RowContext(
      Backend backend,
      int epochs,
      int batchSize,
      long seed,
      List<Callback> callbacks,
      Map<String, Splits> data) {
    if (backend == null) {
      throw new IllegalArgumentException("reproduce: backend must not be null");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("reproduce: epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("reproduce: batch size must be >= 1, got " + batchSize);
    }
    this.backend = backend;
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.seed = seed;
    this.callbacks = callbacks;
    this.data = data;
  }

  /** The same settings and data with other callbacks (progress, learning curves). */
  public RowContext withCallbacks(Callback... newCallbacks) {
    return new RowContext(backend, epochs, batchSize, seed, List.of(newCallbacks), data);
  }

  public Backend backend() {
    return backend;
  }

  public int epochs() {
    return epochs;
  }

  public long seed() {
    return seed;
  }

  /** One-step data (series of 51 steps). */
  public Splits oneStep() {
    return cached("one-step", ChapterData::oneStep);
  }

  /** Ten-step seq-to-vector data (series of 60 steps). */
  public Splits tenStepsVector() {
    return cached("ten-steps-vector", ChapterData::tenStepsVector);
  }

  /** Ten-step seq-to-seq data: Y [n, 50, 10], the next ten values at every step. */
  public Splits tenStepsSequence() {
    return cached("ten-steps-sequence", ChapterData::tenStepsSequence);
  }

  /**
   * The seq-to-seq data with targets at steps 3, 5, ..., 49 only (the book's {@code Y[:, 3::2]}).
   */
  public Splits tenStepsSequenceFrom3Every2() {
    Splits all = tenStepsSequence(); // outside computeIfAbsent: a nested call would modify the map
    return cached(
        "ten-steps-sequence-3-2",
        s ->
            new Splits(
                ChapterData.targetSteps(all.train(), 3, 2),
                ChapterData.targetSteps(all.valid(), 3, 2),
                ChapterData.targetSteps(all.test(), 3, 2)));
  }

  private Splits cached(String key, Function<Long, Splits> make) {
    return data.computeIfAbsent(key, k -> make.apply(seed));
  }

  /** The book's training settings (epochs, batch 32) with validation data and progress. */
  public FitOptions fitOptions(Splits splits) {
    return FitOptions.defaults()
        .epochs(epochs)
        .batchSize(batchSize)
        .seed(seed)
        .validation(splits.valid().x(), splits.valid().y())
        .callbacks(callbacks.toArray(new Callback[0]));
  }
}
