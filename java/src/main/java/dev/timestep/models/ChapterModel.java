package dev.timestep.models;

import dev.timestep.data.series.WindowSpec;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Sequential;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One of the chapter's architectures, buildable for any horizon.
 *
 * @param name the short name the CLI takes ({@code lstm}, {@code wavenet}, ...)
 * @param rows the rows of the chapter's table that use it
 * @param description the layers, with h for the horizon
 * @param layout VECTOR: the model maps a window to its next h values [N, h]; SEQUENCE: to the next
 *     h values after every output step [N, T', h] (the last step is the forecast)
 * @param outputStart the input step that output step 0 forecasts from (0, or 3 for a kernel-4
 *     stride-2 convolution in front)
 * @param outputEvery input steps between consecutive output steps (1, or the stride)
 * @param learningRate the book's Adam learning rate for it
 * @param factory a fresh, unbuilt model for a horizon
 */
public record ChapterModel(
    String name,
    List<Integer> rows,
    String description,
    WindowSpec.Layout layout,
    int outputStart,
    int outputEvery,
    double learningRate,
    IntFunction<Sequential> factory) {
  public ChapterModel {
    rows = List.copyOf(rows);
  }

  /** A fresh, unbuilt model forecasting {@code horizon} steps. */
  public Sequential build(int horizon) {
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "model " + name + ": horizon must be at least 1 step, got " + horizon);
    }
    return factory.apply(horizon);
  }

  /**
   * A fresh, unbuilt model forecasting {@code horizon} steps, with a {@code Dropout(dropout)} layer
   * inserted before its output layer (none for a rate of 0), so MC dropout can draw error bars from
   * it. For {@code simple-rnn}, whose only layer is its output, this drops input values.
   *
   * @param dropout the fraction of the output layer's inputs dropped while training, in [0, 1)
   */
  public Sequential build(int horizon, double dropout) {
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(
          "model " + name + ": dropout must be in [0, 1), got " + dropout);
    }
    Sequential plain = build(horizon);
    if (dropout == 0) {
      return plain;
    }
    List<Layer> layers = plain.layers();
    plain.close(); // unbuilt, so it holds nothing: its layers move to the new model
    Sequential withDropout = new Sequential();
    for (int i = 0; i < layers.size() - 1; i++) {
      withDropout.add(layers.get(i));
    }
    return withDropout.add(new Dropout(dropout)).add(layers.get(layers.size() - 1));
  }

  /**
   * Whether its output steps are a subsequence of the input steps (a strided convolution in front).
   */
  public boolean stridedOutput() {
    return outputStart != 0 || outputEvery != 1;
  }

  /**
   * Checks that a window suits this model: a strided model's last output step must line up with the
   * window's last step, so that it forecasts from the end of the window.
   */
  public void checkWindow(int window) {
    if (!stridedOutput()) {
      return;
    }
    if (window <= outputStart) {
      throw new IllegalArgumentException(
          "model "
              + name
              + " needs a window of more than "
              + outputStart
              + " steps, got "
              + window);
    }
    if ((window - 1 - outputStart) % outputEvery != 0) {
      throw new IllegalArgumentException(
          "model "
              + name
              + " needs a window w with (w - 1 - "
              + outputStart
              + ") divisible by "
              + outputEvery
              + " (its strided convolution then ends on the window's last step; "
              + "e.g. "
              + (window + 1)
              + "), got "
              + window);
    }
  }
}
