package dev.timestep.pipeline.panel;

import dev.timestep.backend.Backend;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.MinMaxScaler;
import dev.timestep.data.series.Quoted;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import dev.timestep.pipeline.FutureTimes;
import dev.timestep.pipeline.SeriesForecast;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesModelInfo;
import dev.timestep.pipeline.SeriesPrecision;
import dev.timestep.pipeline.SeriesTail;
import dev.timestep.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One network that forecasts many series: it reads windows scaled by each series' own scaler and
 * relative or absolute as it was trained, and its forecasts go back to each series' units through
 * that scaler. It keeps every series' scaler and last rows, so its file alone forecasts any id.
 *
 * <pre>{@code
 * try (GlobalModel m = GlobalModel.load(Path.of("stores.tsm"), Backends.auto())) {
 *   IdForecast next = m.forecast("store 7", 12, 0);
 * }
 * }</pre>
 *
 * <p>Saved as a series model file (docs/MODEL-FORMAT.md) whose {@code series.scaler} is {@code
 * per-series}, with {@code series.panel.*} entries for the ids, their scalers and last rows: a
 * reader that knows only single-series files refuses it instead of forecasting with the wrong
 * scaling.
 */
public final class GlobalModel implements ManySeriesForecaster {
  /** The {@code series.scaler} of a global model file. */
  static final String PER_SERIES = "per-series";

  private static final String PREFIX = "series.panel.";
  private static final String TAIL = "series.tail.";

  private final SeriesModel network;
  private final String scalerKind;
  private final Map<String, ColumnScaler> scalers;
  private final Map<String, SeriesTail> tails;

  /**
   * Wraps a trained network (whose info scales nothing: {@code none}) with each id's scaler and
   * kept rows.
   *
   * @param scalerKind "standard" or "minmax": how the per-id scalers were fitted
   * @throws IllegalArgumentException when an id lacks its scaler or rows, or they are not of the
   *     network's columns
   */
  public GlobalModel(
      SeriesModel network,
      String scalerKind,
      Map<String, ColumnScaler> scalers,
      Map<String, SeriesTail> tails) {
    if (network == null || scalerKind == null || scalers == null || tails == null) {
      throw new IllegalArgumentException(
          "global model: a network, a scaler kind, scalers and tails are required");
    }
    SeriesModelInfo info = network.info();
    if (!info.scalerKind().equals("none")) {
      throw new IllegalArgumentException(
          "global model: the network must read scaled windows (scaler 'none'), not '"
              + info.scalerKind()
              + "'; each series has its own scaler");
    }
    if (scalers.isEmpty() || !scalers.keySet().equals(tails.keySet())) {
      throw new IllegalArgumentException(
          "global model: expected one scaler and one tail per id, got scalers for "
              + Quoted.list(List.copyOf(scalers.keySet()))
              + " and tails for "
              + Quoted.list(List.copyOf(tails.keySet())));
    }
    for (String id : scalers.keySet()) {
      ColumnScaler s = scalers.get(id);
      SeriesTail t = tails.get(id);
      if (!s.columnNames().equals(info.columns())
          || !t.columns().equals(info.columns())
          || t.rows() < info.window()) {
        throw new IllegalArgumentException(
            "global model: id '"
                + Quoted.of(id)
                + "' must have a scaler of the columns "
                + info.columns()
                + " and at least a window of "
                + info.window()
                + " kept rows, got a scaler of "
                + s.columnNames()
                + " and "
                + t.rows()
                + " rows of "
                + t.columns());
      }
    }
    this.network = network;
    this.scalerKind = scalerKind;
    this.scalers = Collections.unmodifiableMap(new LinkedHashMap<>(scalers));
    this.tails = Collections.unmodifiableMap(new LinkedHashMap<>(tails));
  }

  /** Whether a model file's metadata is that of a global model. */
  public static boolean isGlobal(ModelMetadata m) {
    return m.text("series.scaler").map(PER_SERIES::equals).orElse(false);
  }

  /**
   * Loads a model written by {@link #save}.
   *
   * @throws ModelFileException when the file is damaged or not a global model
   * @throws IOException when it cannot be read
   */
  public static GlobalModel load(Path file, Backend backend) throws IOException {
    SavedModel saved = ModelFile.load(file, backend);
    try {
      return from(saved, file.toString());
    } catch (RuntimeException e) {
      saved.close();
      throw e;
    }
  }

  /** The global model in a loaded file; {@code file} names it in messages. */
  static GlobalModel from(SavedModel saved, String file) {
    ModelMetadata m = saved.metadata();
    if (!isGlobal(m)) {
      throw new ModelFileException(
          "model file "
              + file
              + " is not a global model of many series (no 'series.scaler "
              + PER_SERIES
              + "'); load it with SeriesModel.load");
    }
    // The network itself reads scaled windows: its own info scales nothing.
    SeriesModelInfo info =
        SeriesModelInfo.fromMetadata(
            ModelMetadata.builder().putAll(m).put("series.scaler", "none").build(), file);
    try {
      String kind = text(m, "scaler");
      int count = (int) count(m);
      Map<String, ColumnScaler> scalers = new LinkedHashMap<>();
      Map<String, SeriesTail> tails = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String id = text(m, "id." + i);
        double[] offset = numbers(m, "offset." + i);
        double[] scale = numbers(m, "scale." + i);
        scalers.put(id, scaler(kind, info.columns(), offset, scale));
        SeriesTail tail = SeriesTail.fromMetadata(tailEntries(m, i), info, file);
        if (tail == null) {
          throw new IllegalArgumentException("no last rows for id " + i);
        }
        tails.put(id, tail);
      }
      if (scalers.size() != count) {
        throw new IllegalArgumentException("an id appears twice");
      }
      return new GlobalModel(new SeriesModel(saved.model(), info, null), kind, scalers, tails);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(
          "model file "
              + file
              + " has invalid global-model entries (series.panel): "
              + e.getMessage(),
          e);
    }
  }

  /** Saves the network with every id's scaler and last rows (atomically; see ModelFile). */
  public void save(Path file) throws IOException {
    ModelMetadata.Builder b =
        ModelMetadata.builder()
            .putAll(network.info().toMetadata())
            .put("series.scaler", PER_SERIES)
            .put(PREFIX + "scaler", scalerKind)
            .put(PREFIX + "ids", scalers.size());
    int i = 0;
    for (Map.Entry<String, ColumnScaler> e : scalers.entrySet()) {
      ColumnScaler s = e.getValue();
      double[] offset = new double[s.columnCount()];
      double[] scale = new double[s.columnCount()];
      for (int c = 0; c < offset.length; c++) {
        offset[c] = s.offset(c);
        scale[c] = s.scale(c);
      }
      b.put(PREFIX + "id." + i, e.getKey())
          .put(PREFIX + "offset." + i, offset)
          .put(PREFIX + "scale." + i, scale);
      ModelMetadata tail = tails.get(e.getKey()).toMetadata();
      String to = PREFIX + "tail." + i + ".";
      tail.textEntries().forEach((k, v) -> b.put(to + k.substring(TAIL.length()), v));
      tail.numberEntries().forEach((k, v) -> b.put(to + k.substring(TAIL.length()), v));
      i++;
    }
    ModelFile.save(network.model(), file, b.build());
  }

  @Override
  public List<String> ids() {
    return new ArrayList<>(scalers.keySet());
  }

  /** The network with its window, horizon and columns (its own scaler is the identity). */
  public SeriesModel network() {
    return network;
  }

  /** "standard" or "minmax": how each id's scaler was fitted. */
  public String scalerKind() {
    return scalerKind;
  }

  /** The scaler of {@code id}, fitted on its own training rows. */
  public ColumnScaler scaler(String id) {
    return scalers.get(require(id));
  }

  /** The last rows of {@code id} kept to forecast from. */
  public SeriesTail tail(String id) {
    return tails.get(require(id));
  }

  @Override
  public IdForecast forecast(String id, int steps, int mcSamples) {
    SeriesTail tail = tail(id);
    return forecast(id, tail.toSeries(tail.source()), steps, mcSamples);
  }

  /**
   * Forecasts {@code steps} values of {@code id} after the end of {@code history} (a series of the
   * model's columns in {@code id}'s units; gaps in its last window are filled by linear
   * interpolation).
   */
  public IdForecast forecast(String id, TimeSeries history, int steps, int mcSamples) {
    ColumnScaler scaler = scaler(id);
    SeriesModelInfo info = network.info();
    if (history == null) {
      throw new IllegalArgumentException("global model: expected a series for id, got null");
    }
    TimeSeries own = history.select(info.columns().toArray(new String[0]));
    TimeSeries inputs = own.missingCount() > 0 ? LinearInterpolation.fill(own) : own;
    SeriesForecast scaled =
        network.forecastScaled(
            network.scaledColumns(scaler.transform(inputs)),
            new int[] {inputs.length()},
            steps,
            mcSamples);
    int target = info.targetIndex();
    NDArray mean = scaler.inverseTarget(scaled.mean(), target);
    NDArray std = scaled.std() == null ? null : scaler.inverseTargetSpread(scaled.std(), target);
    SeriesForecast f = new SeriesForecast(mean, std);
    return new IdForecast(
        id,
        own.timeFormat(),
        FutureTimes.after(own, steps),
        f.mean(0),
        f.std(0),
        SeriesPrecision.forecastDecimals(own.column(target)));
  }

  private String require(String id) {
    if (id == null || !scalers.containsKey(id)) {
      throw new IllegalArgumentException(
          "global model: no series with id '" + Quoted.of(id) + "'; ids are " + Quoted.list(ids()));
    }
    return id;
  }

  private static ColumnScaler scaler(
      String kind, List<String> columns, double[] offset, double[] scale) {
    if (offset.length != columns.size() || scale.length != columns.size()) {
      throw new IllegalArgumentException(
          "expected " + columns.size() + " offset(s) and scale(s) per id");
    }
    return switch (kind) {
      case "standard" -> StandardScaler.of(columns, offset, scale);
      case "minmax" -> {
        double[] max = new double[offset.length];
        for (int c = 0; c < max.length; c++) {
          max[c] = offset[c] + scale[c];
        }
        yield MinMaxScaler.of(columns, offset, max);
      }
      default -> throw new IllegalArgumentException("unknown per-series scaler '" + kind + "'");
    };
  }

  /** Id {@code i}'s tail entries under the keys {@link SeriesTail#fromMetadata} reads. */
  private static ModelMetadata tailEntries(ModelMetadata m, int i) {
    String from = PREFIX + "tail." + i + ".";
    ModelMetadata.Builder b = ModelMetadata.builder();
    m.textEntries()
        .forEach(
            (k, v) -> {
              if (k.startsWith(from)) {
                b.put(TAIL + k.substring(from.length()), v);
              }
            });
    m.numberEntries()
        .forEach(
            (k, v) -> {
              if (k.startsWith(from)) {
                b.put(TAIL + k.substring(from.length()), v);
              }
            });
    return b.build();
  }

  private static double count(ModelMetadata m) {
    double[] v = numbers(m, "ids");
    if (v.length != 1 || !(v[0] >= 1 && v[0] <= Integer.MAX_VALUE && v[0] == Math.rint(v[0]))) {
      throw new IllegalArgumentException("entry '" + PREFIX + "ids' must be one whole number >= 1");
    }
    return v[0];
  }

  private static String text(ModelMetadata m, String key) {
    return m.text(PREFIX + key)
        .orElseThrow(() -> new IllegalArgumentException("no entry '" + PREFIX + key + "'"));
  }

  private static double[] numbers(ModelMetadata m, String key) {
    return m.numbers(PREFIX + key)
        .orElseThrow(() -> new IllegalArgumentException("no entry '" + PREFIX + key + "'"));
  }

  @Override
  public void close() {
    network.close();
  }

  @Override
  public String toString() {
    return "GlobalModel[" + network + ", " + scalers.size() + " series, " + scalerKind + "]";
  }
}
