package dev.timestep.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * One trainable row of the chapter's table as a benchmark workload: the library's model name (as
 * {@code ChapterModels.named} takes it), the forecast horizon and the FLOP count of its layer stack
 * for any series length.
 *
 * @param row the chapter table's row (2-5, 8-15)
 * @param model the name in {@code dev.timestep.models.ChapterModels}
 * @param horizon output values per forecast (1 or 10)
 * @param flops the layer stack's FLOP counter for a series of the given length
 */
public record ChapterWorkload(int row, String model, int horizon, IntFunction<ModelFlops> flops) {
  /** Batch size of the chapter's training. */
  public static final int BATCH = 32;

  /** Steps per training series. */
  public static final int STEPS = 50;

  /** Training series per epoch. */
  public static final int TRAIN_SERIES = 7000;

  /** Training steps per epoch: ceil(7000 / 32) = 219. */
  public static final int STEPS_PER_EPOCH = (TRAIN_SERIES + BATCH - 1) / BATCH;

  private static final Map<Integer, ChapterWorkload> BY_ROW = new TreeMap<>();

  static {
    add(2, "linear", 1, t -> ModelFlops.input(t, 1).flatten().dense(1));
    add(3, "simple-rnn", 1, t -> ModelFlops.input(t, 1).simpleRnn(1, false));
    add(
        4,
        "stacked-rnn",
        1,
        t -> ModelFlops.input(t, 1).simpleRnn(20, true).simpleRnn(20, true).simpleRnn(1, false));
    add(
        5,
        "deep-rnn",
        1,
        t -> ModelFlops.input(t, 1).simpleRnn(20, true).simpleRnn(20, false).dense(1));
    add(8, "linear", 10, t -> ModelFlops.input(t, 1).flatten().dense(10));
    add(
        9,
        "deep-rnn",
        10,
        t -> ModelFlops.input(t, 1).simpleRnn(20, true).simpleRnn(20, false).dense(10));
    add(
        10,
        "seq-rnn",
        10,
        t -> ModelFlops.input(t, 1).simpleRnn(20, true).simpleRnn(20, true).dense(10));
    add(
        11,
        "ln-rnn",
        10,
        t -> ModelFlops.input(t, 1).layerNormRnn(20, true).layerNormRnn(20, true).dense(10));
    add(12, "lstm", 10, t -> ModelFlops.input(t, 1).lstm(20, true).lstm(20, true).dense(10));
    add(13, "gru", 10, t -> ModelFlops.input(t, 1).gru(20, true).gru(20, true).dense(10));
    add(
        14,
        "conv-gru",
        10,
        t ->
            ModelFlops.input(t, 1)
                .conv(20, 4, 2, 1, false, false)
                .gru(20, true)
                .gru(20, true)
                .dense(10));
    add(15, "wavenet", 10, ChapterWorkload::waveNet);
  }

  private static void add(int row, String model, int horizon, IntFunction<ModelFlops> flops) {
    BY_ROW.put(row, new ChapterWorkload(row, model, horizon, flops));
  }

  private static ModelFlops waveNet(int steps) {
    ModelFlops m = ModelFlops.input(steps, 1);
    for (int repeat = 0; repeat < 2; repeat++) {
      for (int rate : new int[] {1, 2, 4, 8}) {
        m.conv(20, 2, 1, rate, true, true);
      }
    }
    return m.conv(10, 1, 1, 1, false, false);
  }

  /** Every trainable row, in table order. */
  public static List<ChapterWorkload> all() {
    return List.copyOf(BY_ROW.values());
  }

  /**
   * The workload of a chapter row.
   *
   * @throws IllegalArgumentException for a row without a trainable model, listing the known rows
   */
  public static ChapterWorkload row(int row) {
    ChapterWorkload w = BY_ROW.get(row);
    if (w == null) {
      throw new IllegalArgumentException(
          "row must be one of "
              + BY_ROW.keySet()
              + " (the trainable chapter models), "
              + "got "
              + row);
    }
    return w;
  }

  /** The FLOP counter at the chapter's length (50 steps). */
  public ModelFlops chapterFlops() {
    return flops.apply(STEPS);
  }

  /** FLOPs of one training step: batch 32 x 50 steps, forward, backward, Adam. */
  public double trainStepFlops() {
    return chapterFlops().trainStepFlops(BATCH);
  }

  /** FLOPs of one epoch: 219 training steps. */
  public double epochFlops() {
    return STEPS_PER_EPOCH * trainStepFlops();
  }

  /** FLOPs of a forecast for one series of 50 steps. */
  public double inferenceFlops() {
    return chapterFlops().inferenceFlops();
  }

  /** A label such as {@code "lstm (row 12)"}. */
  public String label() {
    return model + " (row " + row + ")";
  }
}
