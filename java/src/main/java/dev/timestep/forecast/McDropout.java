package dev.timestep.forecast;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.nn.ForwardPass;
import dev.timestep.nn.ModelLease;
import dev.timestep.nn.NonFiniteOutputException;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;

/**
 * Monte Carlo dropout (the chapter's way to get error bars): predict many times with dropout kept
 * active and report the mean and standard deviation of the predictions.
 *
 * <p>The samples are drawn in ONE batched forward pass, not one pass per sample: the inputs are
 * tiled {@code samples} times along the batch axis and, since dropout masks are drawn per batch
 * row, every copy gets masks of its own. Only dropout changes: batch normalization stays in
 * inference mode. Large requests are split over the inputs (never over the samples) so one pass
 * holds at most about {@value #MAX_ROWS_PER_PASS} rows.
 *
 * <pre>{@code
 * McPrediction p = McDropout.predict(model, xValid, 100);
 * NDArray forecast = p.mean();
 * NDArray errorBar = p.std();
 * }</pre>
 */
public final class McDropout {
  /** Rows (input samples × MC samples) per forward pass, above which the inputs are split. */
  static final int MAX_ROWS_PER_PASS = 4096;

  private McDropout() {}

  /**
   * {@link #predict(Sequential, NDArray, int, long)} with masks seeded by {@link
   * Sequential#nextMaskSeed()}: reproducible for a model built with the same seed and used the same
   * way, different on every call.
   */
  public static McPrediction predict(Sequential model, NDArray x, int samples) {
    check(model, x, samples);
    return predict(model, x, samples, model.nextMaskSeed());
  }

  /**
   * The mean and standard deviation, per output element, of {@code samples} predictions of {@code
   * model} on x with dropout active; masks drawn from {@code seed}.
   *
   * @throws IllegalArgumentException for fewer than 2 samples, a model without dropout, or x whose
   *     rank differs from what the model was built for
   * @throws IllegalStateException for a model that was never built (trained or loaded)
   */
  public static McPrediction predict(Sequential model, NDArray x, int samples, long seed) {
    check(model, x, samples);
    try (ModelLease held = model.lease("MC dropout")) {
      return predictHeld(model, x, samples, seed);
    }
  }

  private static McPrediction predictHeld(Sequential model, NDArray x, int samples, long seed) {
    int n = x.dim(0);
    int perPass = Math.max(1, MAX_ROWS_PER_PASS / samples);
    NDArray mean = null;
    NDArray std = null;
    for (int from = 0; from < n; from += perPass) {
      int to = Math.min(n, from + perPass);
      // Each chunk gets its own seed so its masks do not repeat the first chunk's.
      McPrediction part = onePass(model, x.rows(from, to), samples, seed + from);
      if (mean == null) {
        Shape shape = part.mean().shape().withFirst(n);
        mean = new NDArray(shape, new float[Math.toIntExact(shape.size())]);
        std = new NDArray(shape, new float[Math.toIntExact(shape.size())]);
      }
      int offset = Math.toIntExact(from * mean.shape().rowSize());
      System.arraycopy(part.mean().data(), 0, mean.data(), offset, part.mean().data().length);
      System.arraycopy(part.std().data(), 0, std.data(), offset, part.std().data().length);
    }
    // A sample that overflowed makes the mean or the spread infinite: say so, never return it.
    return new McPrediction(
        NonFiniteOutputException.requireFinite(mean),
        NonFiniteOutputException.requireFinite(std),
        samples);
  }

  /** All samples of a few inputs as one forward pass: tile, run with dropout active, reduce. */
  private static McPrediction onePass(Sequential model, NDArray x, int samples, long seed) {
    int n = x.dim(0);
    float[] tiled = new float[Math.multiplyExact(x.data().length, samples)];
    for (int s = 0; s < samples; s++) {
      System.arraycopy(x.data(), 0, tiled, s * x.data().length, x.data().length);
    }
    Backend b = model.backend();
    float[] all;
    Shape one;
    try (Tape tape = new Tape(b, false)) {
      NDArray batch = new NDArray(x.shape().withFirst(n * samples), tiled);
      Variable out =
          model.forward(
              tape, tape.constant(b.upload(batch, tape.scope())), ForwardPass.monteCarlo(seed));
      all = b.download(out.value()).data();
      one = out.shape().withFirst(n);
    }
    int size = Math.toIntExact(one.size());
    float[] mean = new float[size];
    float[] std = new float[size];
    for (int i = 0; i < size; i++) {
      double sum = 0;
      for (int s = 0; s < samples; s++) {
        sum += all[s * size + i];
      }
      double m = sum / samples;
      double squares = 0;
      for (int s = 0; s < samples; s++) {
        double d = all[s * size + i] - m;
        squares += d * d;
      }
      mean[i] = (float) m;
      std[i] = (float) Math.sqrt(squares / samples);
    }
    return new McPrediction(new NDArray(one, mean), new NDArray(one, std), samples);
  }

  private static void check(Sequential model, NDArray x, int samples) {
    if (model == null) {
      throw new IllegalArgumentException("MC dropout: model must not be null");
    }
    if (x == null) {
      throw new IllegalArgumentException("MC dropout: x must not be null");
    }
    if (samples < 2) {
      throw new IllegalArgumentException(
          "MC dropout: samples must be at least 2 (a spread needs several "
              + "predictions), got "
              + samples);
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("MC dropout: the model is not built; train or load it first");
    }
    if (!model.hasDropout()) {
      throw new IllegalArgumentException(
          "MC dropout: the model has no dropout (no Dropout layer and no "
              + "recurrent dropout), so every sample would be the same; add dropout and train it");
    }
    Shape expected = model.inputShape();
    if (x.rank() != expected.rank() + 1) {
      throw new IllegalArgumentException(
          "MC dropout: x must have rank "
              + (expected.rank() + 1)
              + " ([samples, "
              + "...] with samples of shape "
              + expected
              + ") but has shape "
              + x.shape());
    }
    if (x.dim(0) == 0 || x.size() == 0) {
      throw new IllegalArgumentException("MC dropout: x has no samples (shape " + x.shape() + ")");
    }
    x.requireFinite("MC dropout x");
  }
}
