package dev.timestep.pipeline;

import dev.timestep.backend.Backend;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.forecast.McDropout;
import dev.timestep.forecast.McPrediction;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.Layer;
import dev.timestep.nn.ModelLease;
import dev.timestep.nn.NonFiniteOutputException;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained forecaster of a real series: the model with its window, horizon, columns and scaling
 * ({@link SeriesModelInfo}). It forecasts any number of steps from any point of a series in
 * original units; past its horizon it feeds its own forecasts back as inputs (the chapter's third
 * way to forecast several steps). Owns the model: close it when done.
 *
 * <pre>{@code
 * try (SeriesModel m = SeriesModel.load(Path.of("co2.tsm"), Backends.auto())) {
 *   TimeSeries co2 = RealSeries.maunaLoaCo2();
 *   SeriesForecast f = m.forecast(LinearInterpolation.fill(co2), new int[] {co2.length()}, 52, 0);
 *   double[] nextYear = f.mean(0);   // ppm
 * }
 * }</pre>
 */
public final class SeriesModel implements AutoCloseable {
  /** Rows per predict call: large enough to keep a native backend busy. */
  private static final int PREDICT_BATCH = 256;

  private final Sequential model;
  private final SeriesModelInfo info;
  private final SeriesTail tail;
  private final ModelMetadata metadata;

  /**
   * Wraps a trained (built) model and what it was trained on.
   *
   * @throws IllegalArgumentException when the info does not describe the model: its windows
   *     [window, columns] and its output for one ({@link SeriesModelInfo#outputShape})
   */
  public SeriesModel(Sequential model, SeriesModelInfo info) {
    this(model, info, null);
  }

  /**
   * As {@link #SeriesModel(Sequential, SeriesModelInfo)}, keeping the last rows of the series
   * (null: none) so that the saved model can forecast from its end without the series' file.
   *
   * @throws IllegalArgumentException also when the tail is not of the model's columns or shorter
   *     than its window
   */
  public SeriesModel(Sequential model, SeriesModelInfo info, SeriesTail tail) {
    this(model, info, tail, ModelMetadata.EMPTY);
  }

  private SeriesModel(
      Sequential model, SeriesModelInfo info, SeriesTail tail, ModelMetadata metadata) {
    if (model == null || info == null) {
      throw new IllegalArgumentException("series model: a model and its info are required");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("series model: the model is not built (not trained) yet");
    }
    requireDescribes(info, model);
    if (tail != null && (!tail.columns().equals(info.columns()) || tail.rows() < info.window())) {
      throw new IllegalArgumentException(
          "series model: the kept last rows ("
              + tail.rows()
              + " of "
              + tail.columns()
              + ") must be at least a window of "
              + info.window()
              + " rows of the model's columns "
              + info.columns());
    }
    this.model = model;
    this.info = info;
    this.tail = tail;
    this.metadata = metadata;
  }

  /**
   * Every forecast is sized and sliced from the info, so info that is not the model's would
   * forecast wrongly.
   */
  private static void requireDescribes(SeriesModelInfo info, Sequential model) {
    Shape window = Shape.of(info.window(), info.columns().size());
    if (!model.inputShape().equals(window)) {
      throw new IllegalArgumentException(
          "series.window "
              + info.window()
              + " and series.columns "
              + info.columns().size()
              + " mean windows "
              + window
              + ", but the model was built for "
              + model.inputShape());
    }
    Shape out = window;
    for (Layer layer : model.layers()) {
      out = layer.outputShape(out);
    }
    if (!out.equals(info.outputShape())) {
      String layout =
          info.layout() == WindowSpec.Layout.VECTOR
              ? "'vector' (horizon " + info.horizon() + ")"
              : "'sequence' (window "
                  + info.window()
                  + ", horizon "
                  + info.horizon()
                  + ", output steps from "
                  + info.outputStart()
                  + " every "
                  + info.outputEvery()
                  + ")";
      throw new IllegalArgumentException(
          "series.layout "
              + layout
              + " means outputs "
              + info.outputShape()
              + " per window, but the model outputs "
              + out);
    }
  }

  /**
   * Loads a model written by {@link #save}.
   *
   * @throws dev.timestep.io.ModelFileException when the file is damaged or has no series metadata
   * @throws IOException when it cannot be read
   */
  public static SeriesModel load(Path file, Backend backend) throws IOException {
    SavedModel saved = ModelFile.load(file, backend);
    try {
      if (SeriesEnsemble.isEnsemble(saved.metadata())) {
        // Its first member alone would forecast without the transform or the other members.
        throw new ModelFileException(
            "model file "
                + file
                + " holds "
                + SeriesEnsemble.describe(saved.metadata())
                + "; load it with SeriesEnsemble.load");
      }
      return from(saved, file.toString());
    } catch (RuntimeException e) {
      saved.close();
      throw e;
    }
  }

  /**
   * The series model in a loaded model file (which it then owns); {@code file} names it in
   * messages.
   *
   * @throws dev.timestep.io.ModelFileException when the file has no series metadata, or holds a
   *     global model of many series (see {@code pipeline.panel.GlobalModel})
   */
  public static SeriesModel from(SavedModel saved, String file) {
    if (saved.metadata().text("series.scaler").filter("per-series"::equals).isPresent()) {
      throw new ModelFileException(
          "model file "
              + file
              + " holds a global model of many series, each with its own scaling; load it with"
              + " GlobalModel.load ('forecast --model' reads both)");
    }
    SeriesModelInfo info = SeriesModelInfo.fromMetadata(saved.metadata(), file);
    SeriesTail tail = SeriesTail.fromMetadata(saved.metadata(), info, file);
    try {
      return new SeriesModel(saved.model(), info, tail, saved.metadata());
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(
          "model file "
              + file
              + " has series metadata that does not describe its model: "
              + e.getMessage(),
          e);
    }
  }

  /** Saves the model with its info (atomically; see {@link ModelFile}). */
  public void save(Path file) throws IOException {
    save(file, ModelMetadata.EMPTY);
  }

  /**
   * Saves the model with its info and {@code extra} entries of the caller's own (such as how the
   * CLI read the series' CSV), which {@link #metadata()} returns after a load.
   *
   * @throws IllegalArgumentException when an extra entry has the key of one the model writes
   */
  public void save(Path file, ModelMetadata extra) throws IOException {
    ModelMetadata own = info.toMetadata();
    if (tail != null) {
      own = ModelMetadata.builder().putAll(own).putAll(tail.toMetadata()).build();
    }
    if (extra == null) {
      throw new IllegalArgumentException("save: extra metadata must not be null (use EMPTY)");
    }
    for (String key : extra.textEntries().keySet()) {
      requireFree(own, key);
    }
    for (String key : extra.numberEntries().keySet()) {
      requireFree(own, key);
    }
    ModelFile.save(model, file, ModelMetadata.builder().putAll(own).putAll(extra).build());
  }

  private static void requireFree(ModelMetadata own, String key) {
    if (own.text(key).isPresent() || own.numbers(key).isPresent()) {
      throw new IllegalArgumentException(
          "save: extra metadata entry '" + key + "' would replace the series model's own");
    }
  }

  /**
   * Every metadata entry of the file this model was loaded from, the model's own and any extra
   * ones; empty for a model made in memory.
   */
  public ModelMetadata metadata() {
    return metadata;
  }

  public Sequential model() {
    return model;
  }

  public SeriesModelInfo info() {
    return info;
  }

  /**
   * The last rows of the series the model was trained on, kept to forecast from its end; null for
   * model files written before models kept them, and for generated series.
   */
  public SeriesTail tail() {
    return tail;
  }

  /** The model's columns of {@code series}, scaled: [columns][rows], NaN where missing. */
  public float[][] scaledColumns(TimeSeries series) {
    if (series == null) {
      throw new IllegalArgumentException("series model: expected a series, got null");
    }
    TimeSeries scaled =
        info.scaler().transform(series.select(info.columns().toArray(new String[0])));
    float[][] out = new float[scaled.columnCount()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = scaled.column(c);
    }
    return out;
  }

  /**
   * Forecasts the target column in original units, {@code steps} values from each origin. An origin
   * is the row of the first forecast value: the window is the {@code window} rows before it, which
   * must all be present (fill gaps first, e.g. with LinearInterpolation). An origin may be {@code
   * series.length()}: forecast past the end.
   *
   * @param mcSamples 0 for one deterministic pass; 2 or more for the mean and standard deviation of
   *     that many MC-dropout samples (the model must have dropout; see
   *     TrainingSettings.withDropout)
   */
  public SeriesForecast forecast(TimeSeries series, int[] origins, int steps, int mcSamples) {
    SeriesForecast scaled = forecastScaled(scaledColumns(series), origins, steps, mcSamples);
    int target = info.targetIndex();
    NDArray std =
        scaled.std() == null ? null : info.scaler().inverseTargetSpread(scaled.std(), target);
    return new SeriesForecast(info.scaler().inverseTarget(scaled.mean(), target), std);
  }

  /** As {@link #forecast}, on columns already scaled ({@link #scaledColumns}), in scaled units. */
  public SeriesForecast forecastScaled(float[][] scaled, int[] origins, int steps, int mcSamples) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "forecast: steps must be at least 1, got "
              + steps
              + " (a horizon of 0 forecasts nothing)");
    }
    if (origins == null || origins.length == 0) {
      throw new IllegalArgumentException("forecast: expected at least one origin row, got none");
    }
    return forecastWindows(windows(scaled, origins), steps, mcSamples);
  }

  /**
   * Forecasts {@code steps} values of the target after each window of X [N, window, columns]
   * (scaled), in scaled units: [N, steps].
   */
  public SeriesForecast forecastWindows(NDArray x, int steps, int mcSamples) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "forecast: steps must be at least 1, got "
              + steps
              + " (a horizon of 0 forecasts nothing)");
    }
    int features = info.columns().size();
    if (x == null || x.rank() != 3 || x.dim(1) != info.window() || x.dim(2) != features) {
      throw new IllegalArgumentException(
          "forecast: expected windows shaped [N, "
              + info.window()
              + ", "
              + features
              + "], got "
              + (x == null ? "null" : x.shape()));
    }
    if (steps > info.horizon() && features > 1) {
      throw new IllegalArgumentException(
          "forecast: "
              + steps
              + " steps exceed the model's horizon of "
              + info.horizon()
              + "; going further feeds forecasts back as inputs, which needs a model of the target "
              + "column alone, but this one also reads "
              + info.columns());
    }
    int n = x.dim(0);
    int w = info.window();
    int h = info.horizon();
    NDArray.requireHeapSize("forecast", Shape.of(n, steps));
    try (ModelLease held = model.lease("forecast")) { // one model from the first block to the last
      return forecastHeld(x, steps, mcSamples, n, w, h);
    }
  }

  private SeriesForecast forecastHeld(NDArray x, int steps, int mcSamples, int n, int w, int h) {
    float[] mean = new float[n * steps];
    float[] std = null;
    for (int done = 0; done < steps; done += h) {
      int take = Math.min(h, steps - done);
      NDArray[] out;
      try {
        out = nextSteps(x, mcSamples);
        // the mean of MC samples and a level added back can overflow where predict did not
        NonFiniteOutputException.requireFinite(out[0]);
        if (out[1] != null) {
          NonFiniteOutputException.requireFinite(out[1]);
        }
      } catch (NonFiniteOutputException e) {
        throw e.atForecastSteps(done + 1, done + take);
      }
      if (out[1] != null && std == null) {
        std = new float[n * steps];
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(out[0].data(), i * h, mean, i * steps + done, take);
        if (out[1] != null) {
          System.arraycopy(out[1].data(), i * h, std, i * steps + done, take);
        }
      }
      if (done + h < steps) {
        x = slide(x, out[0], w, h);
      }
    }
    return new SeriesForecast(
        NDArray.of(mean, n, steps), std == null ? null : NDArray.of(std, n, steps));
  }

  /** X [origins, window, columns] from the rows before each origin. */
  private NDArray windows(float[][] scaled, int[] origins) {
    int features = info.columns().size();
    if (scaled == null || scaled.length != features) {
      throw new IllegalArgumentException(
          "forecast: expected "
              + features
              + " scaled column(s) "
              + info.columns()
              + ", got "
              + (scaled == null ? "null" : scaled.length));
    }
    int rows = scaled[0].length;
    int w = info.window();
    float[] x = new float[origins.length * w * features];
    for (int i = 0; i < origins.length; i++) {
      int o = origins[i];
      if (o < w || o > rows) {
        throw new IllegalArgumentException(
            "forecast: origin row "
                + o
                + " needs the "
                + w
                + " rows before it inside "
                + "the series of "
                + rows
                + " rows (window of "
                + w
                + " steps), so it must be in ["
                + w
                + ", "
                + rows
                + "]");
      }
      for (int t = 0; t < w; t++) {
        for (int c = 0; c < features; c++) {
          float v = scaled[c][o - w + t];
          if (Float.isNaN(v)) {
            throw new IllegalArgumentException(
                "forecast: the window before row "
                    + o
                    + " has a missing value in "
                    + "column '"
                    + info.columns().get(c)
                    + "' at row "
                    + (o - w + t)
                    + "; fill gaps first");
          }
          x[(i * w + t) * features + c] = v;
        }
      }
    }
    return NDArray.of(x, origins.length, w, features);
  }

  /**
   * The model's next {@code horizon} values per window [N, h], and their spread (or null). With MC
   * samples the values are the mean of the dropout samples (also what a longer forecast feeds back)
   * and the spread is their standard deviation.
   */
  private NDArray[] nextSteps(NDArray x, int mcSamples) {
    if (mcSamples < 0) {
      throw new IllegalArgumentException("forecast: MC samples must be >= 0, got " + mcSamples);
    }
    if (mcSamples > 0 && !model.hasDropout()) {
      throw new IllegalStateException(
          "MC dropout ("
              + mcSamples
              + " samples) needs a model with dropout, but this "
              + info.modelName()
              + " model has none; train it with dropout ('train --dropout 0.2', or TrainingSettings.withDropout) or forecast "
              + "with 0 samples");
    }
    float[] levels = info.relative() ? LevelShift.lastValues(x, info.targetIndex()) : null;
    NDArray input = levels == null ? x : LevelShift.shiftInputs(x, info.targetIndex(), levels);
    NDArray mean;
    NDArray std = null;
    if (mcSamples > 0) {
      McPrediction p = McDropout.predict(model, input, mcSamples);
      mean = lastStep(p.mean());
      std = lastStep(p.std());
    } else {
      mean = lastStep(model.predict(input, PREDICT_BATCH));
    }
    // Relative windows forecast moves: the level goes back onto the mean; a spread has no level.
    return new NDArray[] {levels == null ? mean : LevelShift.addPerSample(mean, levels, 1), std};
  }

  /** For a seq-to-seq output [N, T', h], its last step [N, h]; a vector output as it is. */
  private NDArray lastStep(NDArray out) {
    int h = info.horizon();
    if (out.rank() == 2 && out.dim(1) == h) {
      return out;
    }
    if (out.rank() == 3 && out.dim(2) == h) {
      int n = out.dim(0);
      int steps = out.dim(1);
      float[] last = new float[n * h];
      for (int i = 0; i < n; i++) {
        System.arraycopy(out.data(), ((i + 1) * steps - 1) * h, last, i * h, h);
      }
      return NDArray.of(last, n, h);
    }
    throw new IllegalStateException(
        "forecast: the model outputs "
            + out.shape()
            + " but its info says it forecasts "
            + h
            + " steps");
  }

  /** Drops the h oldest steps of each univariate window and appends its h forecasts. */
  private static NDArray slide(NDArray x, NDArray forecast, int w, int h) {
    int n = x.dim(0);
    float[] next = new float[n * w];
    float[] joined = new float[w + h];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x.data(), i * w, joined, 0, w);
      System.arraycopy(forecast.data(), i * h, joined, w, h);
      System.arraycopy(joined, h, next, i * w, w);
    }
    return NDArray.of(next, n, w, 1);
  }

  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return "SeriesModel["
        + info.modelName()
        + ", window "
        + info.window()
        + ", horizon "
        + info.horizon()
        + ", columns "
        + info.columns()
        + ", target "
        + info.target()
        + ", scaler "
        + info.scalerKind()
        + "]";
  }
}
