package dev.timestep.pipeline;

import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.MinMaxScaler;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.tensor.Shape;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a forecasting model needs besides its weights: which columns it reads and which one it
 * forecasts, the window and horizon, the shape of its output, the scaling fitted on the training
 * rows, and where those rows ended. Saved as {@link ModelMetadata} entries under {@code series.*}
 * beside the model.
 *
 * @param modelName the chapter model's short name (e.g. {@code lstm})
 * @param layout VECTOR: output [N, horizon]; SEQUENCE: [N, T', horizon], the last step forecasting
 * @param outputStart the input step output step 0 forecasts from (SEQUENCE only)
 * @param outputEvery input steps between output steps (SEQUENCE only)
 * @param window input steps per forecast
 * @param horizon steps the model forecasts at once
 * @param columns the input columns, in model order; the target is one of them
 * @param target the forecast column
 * @param scalerKind "standard", "minmax" or "none"
 * @param scaler the scaling of {@code columns}, fitted on the training rows
 * @param relative whether windows are taken relative to their last target value (see LevelShift)
 * @param dropout the rate of the Dropout layer before the output layer (0: none), as trained
 * @param input how the training series was given ("builtin co2", "csv FILE", "generator")
 * @param timeColumn the CSV's time column (null when not from a CSV)
 * @param trainedUntil the time of the last training row (null for generated series)
 */
public record SeriesModelInfo(
    String modelName,
    WindowSpec.Layout layout,
    int outputStart,
    int outputEvery,
    int window,
    int horizon,
    List<String> columns,
    String target,
    String scalerKind,
    ColumnScaler scaler,
    boolean relative,
    double dropout,
    String input,
    String timeColumn,
    LocalDateTime trainedUntil) {

  private static final String PREFIX = "series.";

  /**
   * What a model trained with {@code s} remembers: the settings' model, window, horizon, scaling,
   * relative windows and dropout, with the columns, the fitted scaler (named {@code scalerKind}),
   * where the data came from and the last time it trained on.
   */
  static SeriesModelInfo of(
      TrainingSettings s,
      List<String> columns,
      String target,
      String scalerKind,
      ColumnScaler scaler,
      String input,
      String timeColumn,
      LocalDateTime trainedUntil) {
    return new SeriesModelInfo(
        s.model().name(),
        s.model().layout(),
        s.model().outputStart(),
        s.model().outputEvery(),
        s.window(),
        s.horizon(),
        columns,
        target,
        scalerKind,
        scaler,
        s.relative(),
        s.dropout(),
        input,
        timeColumn,
        trainedUntil);
  }

  public SeriesModelInfo {
    if (modelName == null
        || layout == null
        || columns == null
        || target == null
        || scalerKind == null
        || scaler == null
        || input == null) {
      throw new IllegalArgumentException(
          "series model info: model name, layout, columns, target, scaler and input "
              + "are required");
    }
    if (window < 1 || horizon < 1) {
      throw new IllegalArgumentException(
          "series model info: window and horizon must be >= 1, got window "
              + window
              + " and horizon "
              + horizon);
    }
    new WindowSpec(layout, window, horizon, 1, 0); // refuses a window + horizon no series can span
    String output = "series.output [" + outputStart + ", " + outputEvery + "]";
    if (layout == WindowSpec.Layout.VECTOR && (outputStart != 0 || outputEvery != 1)) {
      throw new IllegalArgumentException(
          "series model info: "
              + output
              + " must be [0, 1] for the vector layout (one"
              + " forecast per window, from its last step)");
    }
    if (outputStart < 0
        || outputEvery < 1
        || outputStart >= window
        || (window - 1 - outputStart) % outputEvery != 0) {
      // the forecast is the last output step, which must be the window's last step
      throw new IllegalArgumentException(
          "series model info: "
              + output
              + " does not end on the window's last step:"
              + " output steps start at input step "
              + outputStart
              + " (>= 0, < window "
              + window
              + ") and are "
              + outputEvery
              + " (>= 1) apart, so window - 1 - start must be a multiple of it");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(
          "series model info: dropout must be in [0, 1), got " + dropout);
    }
    columns = List.copyOf(columns);
    if (!columns.contains(target)) {
      throw new IllegalArgumentException(
          "series model info: the target '"
              + target
              + "' must be one of the input "
              + "columns "
              + columns);
    }
    if (!scaler.columnNames().equals(columns)) {
      throw new IllegalArgumentException(
          "series model info: the scaler was fitted on "
              + scaler.columnNames()
              + " but the model reads "
              + columns);
    }
  }

  /** The position of the target among {@link #columns()}. */
  public int targetIndex() {
    return columns.indexOf(target);
  }

  /**
   * The model's output for one window: [horizon] for the vector layout, [output steps, horizon] for
   * the sequence layout.
   */
  public Shape outputShape() {
    return layout == WindowSpec.Layout.VECTOR
        ? Shape.of(horizon)
        : Shape.of((window - 1 - outputStart) / outputEvery + 1, horizon);
  }

  /** The windowing that made this model's training pairs. */
  public WindowSpec windowSpec() {
    return new WindowSpec(layout, window, horizon, 1, targetIndex());
  }

  /**
   * The scaling that does nothing (for series that are already of unit scale, like the
   * generator's).
   */
  public static ColumnScaler identityScaler(List<String> columns) {
    double[] zeros = new double[columns.size()];
    double[] ones = new double[columns.size()];
    java.util.Arrays.fill(ones, 1);
    return StandardScaler.of(columns, zeros, ones);
  }

  /** The entries to save beside the model. */
  public ModelMetadata toMetadata() {
    ModelMetadata.Builder b =
        ModelMetadata.builder()
            .put(PREFIX + "model", modelName)
            .put(PREFIX + "layout", layout.name().toLowerCase(Locale.ROOT))
            .put(PREFIX + "output", outputStart, outputEvery)
            .put(PREFIX + "window", window)
            .put(PREFIX + "horizon", horizon)
            .put(PREFIX + "columns", columns.size())
            .put(PREFIX + "target", target)
            .put(PREFIX + "scaler", scalerKind)
            .put(PREFIX + "relative", relative ? 1 : 0)
            .put(PREFIX + "dropout", dropout)
            .put(PREFIX + "input", input);
    for (int c = 0; c < columns.size(); c++) {
      b.put(PREFIX + "column." + c, columns.get(c));
    }
    double[] offset = new double[columns.size()];
    double[] scale = new double[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      offset[c] = scaler.offset(c);
      scale[c] = scaler.scale(c);
    }
    b.put(PREFIX + "scaler.offset", offset).put(PREFIX + "scaler.scale", scale);
    if (timeColumn != null) {
      b.put(PREFIX + "time_column", timeColumn);
    }
    if (trainedUntil != null) {
      b.put(PREFIX + "trained_until", trainedUntil.toString());
    }
    return b.build();
  }

  /**
   * Reads the entries written by {@link #toMetadata()}.
   *
   * @param file names the model file in messages
   * @throws ModelFileException when an entry is missing or malformed
   */
  public static SeriesModelInfo fromMetadata(ModelMetadata m, String file) {
    if (m.text(PREFIX + "model").isEmpty()) {
      throw new ModelFileException(
          "model file "
              + file
              + " has no series metadata (window, horizon, scaling); "
              + "it was not written by 'timestep train' or SeriesTrainer");
    }
    try {
      String kind = text(m, "scaler");
      int count = whole(m, "columns", 1, 0, 1);
      List<String> columns = new ArrayList<>();
      for (int c = 0; c < count; c++) {
        columns.add(text(m, "column." + c));
      }
      double[] offset = number(m, "scaler.offset", count);
      double[] scale = number(m, "scaler.scale", count);
      ColumnScaler scaler =
          switch (kind) {
            case "standard", "none" -> StandardScaler.of(columns, offset, scale);
            case "minmax" -> {
              double[] max = new double[count];
              for (int c = 0; c < count; c++) {
                max[c] = offset[c] + scale[c];
              }
              yield MinMaxScaler.of(columns, offset, max);
            }
            default -> throw new IllegalArgumentException("unknown scaler '" + kind + "'");
          };
      String until = m.text(PREFIX + "trained_until").orElse(null);
      // Files written before dropout was recorded have no entry: they were trained without it.
      double dropout = m.numbers(PREFIX + "dropout").isPresent() ? number(m, "dropout", 1)[0] : 0;
      return new SeriesModelInfo(
          text(m, "model"),
          layout(m),
          whole(m, "output", 2, 0, 0),
          whole(m, "output", 2, 1, 0),
          whole(m, "window", 1, 0, 1),
          whole(m, "horizon", 1, 0, 1),
          columns,
          text(m, "target"),
          kind,
          scaler,
          flag(m, "relative"),
          dropout,
          text(m, "input"),
          m.text(PREFIX + "time_column").orElse(null),
          until == null ? null : LocalDateTime.parse(until));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new ModelFileException(
          "model file " + file + " has invalid series metadata: " + e.getMessage(), e);
    }
  }

  private static String text(ModelMetadata m, String key) {
    return m.text(PREFIX + key)
        .orElseThrow(() -> new IllegalArgumentException("no entry '" + PREFIX + key + "'"));
  }

  private static WindowSpec.Layout layout(ModelMetadata m) {
    String name = text(m, "layout");
    for (WindowSpec.Layout l : WindowSpec.Layout.values()) {
      if (l.name().toLowerCase(Locale.ROOT).equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "entry '" + PREFIX + "layout' must be 'vector' or 'sequence', got '" + name + "'");
  }

  /**
   * Value {@code index} of a number entry of {@code length} values, which must be a whole number >=
   * {@code min}.
   */
  private static int whole(ModelMetadata m, String key, int length, int index, int min) {
    double v = number(m, key, length)[index];
    if (!(v >= min && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
      throw new IllegalArgumentException(
          "entry '"
              + PREFIX
              + key
              + "' must be a whole number from "
              + min
              + " to "
              + Integer.MAX_VALUE
              + ", got "
              + v);
    }
    return (int) v;
  }

  private static boolean flag(ModelMetadata m, String key) {
    double v = number(m, key, 1)[0];
    if (v != 0 && v != 1) {
      throw new IllegalArgumentException("entry '" + PREFIX + key + "' must be 0 or 1, got " + v);
    }
    return v == 1;
  }

  private static double[] number(ModelMetadata m, String key, int length) {
    double[] v =
        m.numbers(PREFIX + key)
            .orElseThrow(() -> new IllegalArgumentException("no entry '" + PREFIX + key + "'"));
    if (v.length != length) {
      throw new IllegalArgumentException(
          "entry '" + PREFIX + key + "' should hold " + length + " number(s), has " + v.length);
    }
    return v;
  }
}
