package dev.timestep.data;

import dev.timestep.tensor.NDArray;

/**
 * The chapter's data sets: 10,000 generated series split 7,000 / 2,000 / 1,000, with X the first 50
 * steps and targets as the book builds them.
 */
public final class ChapterData {
  public static final int SERIES = 10_000;
  public static final int TRAIN = 7_000;
  public static final int VALID = 2_000;
  public static final int INPUT_STEPS = 50;

  private ChapterData() {}

  /** One-step task: series of 51 steps; X [n, 50, 1], y [n, 1] = the 51st value. */
  public static Splits oneStep(long seed) {
    return split(SeriesGenerator.generate(SERIES, INPUT_STEPS + 1, seed), 1);
  }

  /** Ten-step seq-to-vector task: series of 60 steps; X [n, 50, 1], Y [n, 10] = steps 51..60. */
  public static Splits tenStepsVector(long seed) {
    return split(SeriesGenerator.generate(SERIES, INPUT_STEPS + 10, seed), 10);
  }

  /**
   * Ten-step seq-to-seq task (rows 10-15): series of 60 steps; X [n, 50, 1] and, at every step t,
   * the next ten values: {@code Y[i, t, k-1] = series[i, t+k]} for k = 1..10, Y [n, 50, 10].
   */
  public static Splits tenStepsSequence(long seed) {
    NDArray series = SeriesGenerator.generate(SERIES, INPUT_STEPS + 10, seed);
    int n = series.dim(0);
    int steps = series.dim(1);
    float[] s = series.data();
    float[] x = new float[n * INPUT_STEPS];
    float[] y = new float[n * INPUT_STEPS * 10];
    for (int i = 0; i < n; i++) {
      System.arraycopy(s, i * steps, x, i * INPUT_STEPS, INPUT_STEPS);
      for (int t = 0; t < INPUT_STEPS; t++) {
        for (int k = 1; k <= 10; k++) {
          y[(i * INPUT_STEPS + t) * 10 + (k - 1)] = s[i * steps + t + k];
        }
      }
    }
    NDArray xs = NDArray.of(x, n, INPUT_STEPS, 1);
    NDArray ys = NDArray.of(y, n, INPUT_STEPS, 10);
    return new Splits(
        new Dataset(xs.rows(0, TRAIN), ys.rows(0, TRAIN)),
        new Dataset(xs.rows(TRAIN, TRAIN + VALID), ys.rows(TRAIN, TRAIN + VALID)),
        new Dataset(xs.rows(TRAIN + VALID, n), ys.rows(TRAIN + VALID, n)));
  }

  /**
   * The same inputs with only the target steps start, start+every, ... (e.g. {@code Y[:, 3::2]}).
   */
  public static Dataset targetSteps(Dataset d, int start, int every) {
    NDArray y = d.y();
    if (y.rank() != 3 || start < 0 || every < 1 || start >= y.dim(1)) {
      throw new IllegalArgumentException(
          "targetSteps: need seq-to-seq targets [n, steps, k] and a start inside them, "
              + "got "
              + y.shape()
              + " start "
              + start
              + " every "
              + every);
    }
    int n = y.dim(0);
    int steps = y.dim(1);
    int k = y.dim(2);
    int kept = (steps - start + every - 1) / every;
    float[] out = new float[n * kept * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < kept; j++) {
        System.arraycopy(y.data(), (i * steps + start + j * every) * k, out, (i * kept + j) * k, k);
      }
    }
    return new Dataset(d.x(), NDArray.of(out, n, kept, k));
  }

  /** X = the first 50 steps; Y = the next {@code horizon} values; then 7000/2000/1000. */
  static Splits split(NDArray series, int horizon) {
    int n = series.dim(0);
    int steps = series.dim(1);
    float[] s = series.data();
    float[] x = new float[n * INPUT_STEPS];
    float[] y = new float[n * horizon];
    for (int i = 0; i < n; i++) {
      System.arraycopy(s, i * steps, x, i * INPUT_STEPS, INPUT_STEPS);
      System.arraycopy(s, i * steps + INPUT_STEPS, y, i * horizon, horizon);
    }
    NDArray xs = NDArray.of(x, n, INPUT_STEPS, 1);
    NDArray ys = NDArray.of(y, n, horizon);
    return new Splits(
        new Dataset(xs.rows(0, TRAIN), ys.rows(0, TRAIN)),
        new Dataset(xs.rows(TRAIN, TRAIN + VALID), ys.rows(TRAIN, TRAIN + VALID)),
        new Dataset(xs.rows(TRAIN + VALID, n), ys.rows(TRAIN + VALID, n)));
  }
}
