package dev.timestep.pipeline;

import dev.timestep.backend.Backend;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.FloatArrays;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.Bounds;
import dev.timestep.data.series.transform.FittedTransform;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import dev.timestep.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * What the forecasting workflow saves: one or more trained series models (members, each trained
 * with its own seed) whose forecasts are combined by their median per step, the value transform
 * they were trained under (inverted on every forecast), and split-conformal intervals calibrated on
 * backtests. A single plain {@link SeriesModel} is an ensemble of one without transform or
 * intervals, so every model file loads here.
 *
 * <p>File layout: the first member's model file, whose metadata also holds the transform, the
 * intervals, the tail in the series' own units, and each further member as a complete model file
 * (base64 text under {@code series.ensemble.member.<i>}); see docs/MODEL-FORMAT.md.
 *
 * <pre>{@code
 * try (SeriesEnsemble e = SeriesEnsemble.load(Path.of("sales.tsm"), Backends.auto())) {
 *   SeriesEnsemble.Forecast f = e.forecast(e.tail().toSeries("sales"), 12);
 *   double[] point = f.point();
 *   Bounds b80 = f.intervals().get(0);
 * }
 * }</pre>
 */
public final class SeriesEnsemble implements AutoCloseable {
  static final String MEMBERS_KEY = "series.ensemble.members";
  static final String MEMBER_KEY = "series.ensemble.member.";
  static final String REPORT_KEY = "series.ensemble.report";
  static final String HORIZON_KEY = "series.ensemble.horizon";

  private final List<SeriesModel> members;
  private final FittedTransform transform;
  private final ForecastIntervals intervals;
  private final SeriesTail tail;
  private final String report;
  private final int horizon;

  /**
   * Takes ownership of {@code members} (closed with the ensemble).
   *
   * @param transform applied to the target before the members see it, inverted on their forecasts;
   *     null for none (needs members that read the target alone)
   * @param tail the last rows in the series' own units; null when not kept
   * @param report a few lines on how the ensemble was chosen, kept in the file; may be empty
   * @param horizon the steps a forecast takes by default (at least the members' horizon is not
   *     needed: past it forecasts are fed back)
   */
  public SeriesEnsemble(
      List<SeriesModel> members,
      FittedTransform transform,
      ForecastIntervals intervals,
      SeriesTail tail,
      String report,
      int horizon) {
    if (members == null || members.isEmpty() || members.stream().anyMatch(m -> m == null)) {
      throw new IllegalArgumentException("ensemble: at least one member is required");
    }
    SeriesModelInfo first = members.get(0).info();
    for (SeriesModel m : members) {
      SeriesModelInfo i = m.info();
      if (i.window() != first.window()
          || i.horizon() != first.horizon()
          || !i.columns().equals(first.columns())) {
        throw new IllegalArgumentException(
            "ensemble: every member needs the first's window, horizon and columns");
      }
    }
    if (transform != null && first.columns().size() != 1) {
      throw new IllegalArgumentException(
          "ensemble: a transform needs members of the target alone, not " + first.columns());
    }
    this.members = List.copyOf(members);
    this.transform = transform;
    this.intervals = intervals == null ? ForecastIntervals.none() : intervals;
    this.tail = tail;
    this.report = report == null ? "" : report;
    if (horizon < 1) {
      throw new IllegalArgumentException("ensemble: horizon must be at least 1, got " + horizon);
    }
    this.horizon = horizon;
  }

  /** An ensemble of one plain model (which it then owns). */
  public static SeriesEnsemble of(SeriesModel model) {
    return new SeriesEnsemble(List.of(model), null, null, model.tail(), "", model.info().horizon());
  }

  /**
   * A forecast: the members' median per step in the series' units, each member's forecast, and an
   * interval per calibrated level (empty when none was calibrated or the forecast is longer than
   * the calibrated steps).
   */
  public record Forecast(double[] point, double[][] members, List<Bounds> intervals) {}

  /**
   * Forecasts {@code steps} values of the target after the last row of {@code series} (in the
   * series' own units; gaps in the last window filled first).
   */
  public Forecast forecast(TimeSeries series, int steps) {
    if (series == null) {
      throw new IllegalArgumentException("ensemble: expected a series, got null");
    }
    SeriesModelInfo info = info();
    TimeSeries inputs = series.select(info.columns().toArray(new String[0]));
    double[] history = FloatArrays.toDoubles(inputs.column(0));
    if (transform != null) {
      inputs = inputs.withValues(new float[][] {transformed(history)});
    }
    int n = inputs.length();
    double[][] each = new double[members.size()][];
    for (int i = 0; i < each.length; i++) {
      double[] f = members.get(i).forecast(inputs, new int[] {n}, steps, 0).mean(0);
      each[i] = ownUnits(f, history);
    }
    return combined(each, steps);
  }

  /**
   * Forecasts {@code steps} values after each of several histories, each member predicting all of
   * them in one call (in the member's predict batches): forecast {@code i} equals {@link #forecast}
   * of history {@code i} alone, bit for bit, where the member's predict gives a window the same
   * bits in a batch as alone (as the native and reference backends do).
   *
   * @param histories each the last rows of one series in its own units, time-major (row t, then
   *     column c) over the members' columns; the rows before the window are read only by a
   *     transform that looks back (a seasonal difference needs its lag's rows before the window)
   * @throws IllegalArgumentException naming the first history that is missing, ragged, too short,
   *     outside the transform's domain, or has a missing value in its window
   */
  public List<Forecast> forecastWindows(float[][] histories, int steps) {
    SeriesModelInfo info = info();
    int w = info.window();
    int f = info.columns().size();
    if (histories == null || histories.length == 0) {
      throw new IllegalArgumentException("ensemble: expected at least one history, got none");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("ensemble: steps must be at least 1, got " + steps);
    }
    int n = histories.length;
    double[][] own = new double[n][];
    float[] x = new float[Math.multiplyExact(n, w * f)];
    for (int i = 0; i < n; i++) {
      float[] h = histories[i];
      if (h == null || h.length % f != 0 || h.length / f < w) {
        throw new IllegalArgumentException(
            "ensemble: history "
                + i
                + (h == null ? " is null" : " has " + h.length + " values")
                + "; expected at least the window of "
                + w
                + " rows x "
                + f
                + " column(s), time-major");
      }
      float[] values = h;
      if (transform != null) {
        own[i] = FloatArrays.toDoubles(h);
        try {
          values = transformed(own[i]);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("ensemble: history " + i + ": " + e.getMessage(), e);
        }
      }
      int first = values.length - w * f;
      for (int k = 0; k < w * f; k++) {
        if (Float.isNaN(values[first + k])) {
          throw new IllegalArgumentException(
              "ensemble: history "
                  + i
                  + " has a missing value in its window at row "
                  + (first + k) / f
                  + (transform == null ? "" : " (after the " + transform.describe() + ")")
                  + "; fill gaps first");
        }
      }
      System.arraycopy(values, first, x, i * w * f, w * f);
    }
    double[][][] each = new double[n][members.size()][];
    for (int m = 0; m < members.size(); m++) {
      SeriesModel member = members.get(m);
      ColumnScaler scaler = member.info().scaler();
      SeriesForecast scaled =
          member.forecastWindows(scaler.transform(NDArray.of(x, n, w, f)), steps, 0);
      SeriesForecast out =
          new SeriesForecast(
              scaler.inverseTarget(scaled.mean(), member.info().targetIndex()), null);
      for (int i = 0; i < n; i++) {
        each[i][m] = ownUnits(out.mean(i), own[i]);
      }
    }
    List<Forecast> forecasts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      forecasts.add(combined(each[i], steps));
    }
    return forecasts;
  }

  /** The target in the members' units: {@code history} under the transform. */
  private float[] transformed(double[] history) {
    return FloatArrays.toFloats(transform.apply(history));
  }

  /** A member's forecast back in the series' units (the transform inverted from the history). */
  private double[] ownUnits(double[] forecast, double[] history) {
    return transform == null ? forecast : transform.inverse(forecast, history);
  }

  /** The members' median per step and, within the calibrated steps, its intervals. */
  private Forecast combined(double[][] each, int steps) {
    double[] point = median(each, steps);
    List<Bounds> bounds = new ArrayList<>();
    if (!intervals.isEmpty() && steps <= intervals.steps()) {
      for (int l = 0; l < intervals.levels().length; l++) {
        bounds.add(intervals.interval(point, l));
      }
    }
    return new Forecast(point, each, bounds);
  }

  /** The per-step median of {@code rows} (the mean of the middle two for an even count). */
  static double[] median(double[][] rows, int steps) {
    double[] out = new double[steps];
    double[] column = new double[rows.length];
    for (int s = 0; s < steps; s++) {
      for (int i = 0; i < rows.length; i++) {
        column[i] = rows[i][s];
      }
      Arrays.sort(column);
      int k = column.length;
      out[s] = k % 2 == 1 ? column[k / 2] : 0.5 * (column[k / 2 - 1] + column[k / 2]);
    }
    return out;
  }

  /** The first member's info: window, horizon, columns, target (every member shares them). */
  public SeriesModelInfo info() {
    return members.get(0).info();
  }

  public List<SeriesModel> members() {
    return members;
  }

  /** The transform, or null for none. */
  public FittedTransform transform() {
    return transform;
  }

  public ForecastIntervals intervals() {
    return intervals;
  }

  /** The steps a forecast takes by default (the members may forecast fewer at once). */
  public int horizon() {
    return horizon;
  }

  /** The last rows of the series in its own units, or null when the file kept none. */
  public SeriesTail tail() {
    return tail;
  }

  /** How the ensemble was chosen, as kept in its file (empty for a plain model). */
  public String report() {
    return report;
  }

  /** Whether this is one plain model: no transform, no intervals, one member. */
  public boolean isPlain() {
    return members.size() == 1
        && transform == null
        && intervals.isEmpty()
        && horizon == info().horizon();
  }

  /** Saves every member, the transform, the intervals and the tail in one file (atomically). */
  public void save(Path file) throws IOException {
    save(file, ModelMetadata.EMPTY);
  }

  /**
   * As {@link #save(Path)}, with {@code extra} entries of the caller's own (how the CLI read the
   * series' CSV), which the first member's {@link SeriesModel#metadata()} returns after a load.
   */
  public void save(Path file, ModelMetadata extra) throws IOException {
    if (isPlain() && report.isEmpty()) {
      members.get(0).save(file, extra);
      return;
    }
    ModelMetadata.Builder b =
        ModelMetadata.builder()
            .putAll(members.get(0).info().toMetadata())
            .put(MEMBERS_KEY, members.size())
            .put(HORIZON_KEY, horizon)
            .putAll(TransformChoice.toMetadata(transform))
            .putAll(intervals.toMetadata());
    if (tail != null) {
      b.putAll(tail.toMetadata());
    }
    if (!report.isEmpty()) {
      b.put(REPORT_KEY, report);
    }
    b.putAll(extra);
    for (int i = 1; i < members.size(); i++) {
      b.put(MEMBER_KEY + i, Base64.getEncoder().encodeToString(bytesOf(members.get(i))));
    }
    ModelFile.save(members.get(0).model(), file, b.build());
  }

  /** Loads any series model file: an ensemble, or a plain model as an ensemble of one. */
  public static SeriesEnsemble load(Path file, Backend backend) throws IOException {
    SavedModel saved = ModelFile.load(file, backend);
    List<SeriesModel> loaded = new ArrayList<>();
    try {
      ModelMetadata m = saved.metadata();
      String name = file.toString();
      SeriesModel first = SeriesModel.from(saved, name);
      loaded.add(first);
      int count = memberCount(m, name);
      for (int i = 1; i < count; i++) {
        int member = i;
        String text =
            m.text(MEMBER_KEY + i)
                .orElseThrow(
                    () ->
                        new ModelFileException(
                            "model file "
                                + name
                                + " lacks ensemble member "
                                + member
                                + " of "
                                + count));
        loaded.add(memberFrom(text, i, name, backend));
      }
      return new SeriesEnsemble(
          loaded,
          TransformChoice.fromMetadata(m, name),
          ForecastIntervals.fromMetadata(m, name),
          first.tail(),
          m.text(REPORT_KEY).orElse(""),
          horizonOf(m, first.info().horizon(), name));
    } catch (RuntimeException | IOException e) {
      if (loaded.isEmpty()) {
        saved.close();
      }
      loaded.forEach(SeriesModel::close);
      throw e;
    }
  }

  /**
   * Whether a file's metadata describes more than its first network can forecast alone: several
   * members, or a transform.
   */
  public static boolean isEnsemble(ModelMetadata m) {
    double[] n = m.numbers(MEMBERS_KEY).orElse(new double[] {1});
    return n.length != 1 || n[0] != 1 || m.text(TransformChoice.NAME_KEY).isPresent();
  }

  /** For messages: "an ensemble of 3 model(s) trained under a boxcox transform". */
  public static String describe(ModelMetadata m) {
    double[] n = m.numbers(MEMBERS_KEY).orElse(new double[] {1});
    String t = m.text(TransformChoice.NAME_KEY).orElse("none");
    return "an ensemble of "
        + (long) n[0]
        + " model(s)"
        + (t.equals("none") ? "" : " trained under a " + t + " transform");
  }

  private static int horizonOf(ModelMetadata m, int members, String file) {
    double[] h = m.numbers(HORIZON_KEY).orElse(new double[] {members});
    if (h.length != 1 || !(h[0] >= 1 && h[0] <= Integer.MAX_VALUE) || h[0] != Math.rint(h[0])) {
      throw new ModelFileException(
          "model file " + file + " has a damaged ensemble horizon " + Arrays.toString(h));
    }
    return (int) h[0];
  }

  private static int memberCount(ModelMetadata m, String file) {
    double[] n = m.numbers(MEMBERS_KEY).orElse(new double[] {1});
    if (n.length != 1 || !(n[0] >= 1 && n[0] <= 1000) || n[0] != Math.rint(n[0])) {
      throw new ModelFileException(
          "model file " + file + " has a damaged ensemble size " + Arrays.toString(n));
    }
    return (int) n[0];
  }

  private static byte[] bytesOf(SeriesModel member) throws IOException {
    Path tmp = Files.createTempFile("timestep-member", ".tsm");
    try {
      member.save(tmp);
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static SeriesModel memberFrom(String base64, int i, String file, Backend backend)
      throws IOException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(
          "model file " + file + " has ensemble member " + i + " that is not base64", e);
    }
    Path tmp = Files.createTempFile("timestep-member", ".tsm");
    try {
      Files.write(tmp, bytes);
      return SeriesModel.load(tmp, backend);
    } catch (ModelFileException e) {
      throw new ModelFileException(
          "model file " + file + " has a damaged ensemble member " + i + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public void close() {
    members.forEach(SeriesModel::close);
  }
}
