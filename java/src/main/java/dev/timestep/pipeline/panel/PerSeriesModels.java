package dev.timestep.pipeline.panel;

import dev.timestep.backend.Backend;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.Quoted;
import dev.timestep.data.series.SkippedSeries;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.io.AtomicFiles;
import dev.timestep.io.ModelFile;
import dev.timestep.io.ModelFileException;
import dev.timestep.io.ModelMetadata;
import dev.timestep.io.SavedModel;
import dev.timestep.pipeline.FutureTimes;
import dev.timestep.pipeline.SeriesForecast;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesPrecision;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.SeriesTail;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One trained model per series id, with the holdout scores of those that had one and the ids that
 * were skipped. Saved as a folder of ordinary single-series model files, {@code series-00001.tsm},
 * {@code series-00002.tsm}, ..., each with its id in the entry {@code series.id}: any one of them
 * also works alone. Owns the models: close it.
 */
public final class PerSeriesModels implements ManySeriesForecaster {
  /** The metadata key holding a per-series file's id. */
  static final String ID_KEY = "series.id";

  private static final Pattern FILE = Pattern.compile("series-(\\d{5,9})\\.tsm");

  private final Map<String, SeriesModel> models;
  private final Map<String, SeriesRefit.Holdout> holdouts;
  private final List<SkippedSeries> skipped;

  /**
   * @param models each id's model (with its kept last rows), in order; this takes ownership
   * @param holdouts each id's holdout scores, for ids that had a holdout
   * @param skipped ids left out, with their reasons
   */
  public PerSeriesModels(
      Map<String, SeriesModel> models,
      Map<String, SeriesRefit.Holdout> holdouts,
      List<SkippedSeries> skipped) {
    if (models == null || models.isEmpty() || holdouts == null || skipped == null) {
      throw new IllegalArgumentException(
          "per-series models: at least one model, holdouts and skipped ids are required");
    }
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    this.holdouts = Collections.unmodifiableMap(new LinkedHashMap<>(holdouts));
    this.skipped = List.copyOf(skipped);
  }

  @Override
  public List<String> ids() {
    return new ArrayList<>(models.keySet());
  }

  /** The model of {@code id}. */
  public SeriesModel model(String id) {
    SeriesModel m = id == null ? null : models.get(id);
    if (m == null) {
      throw new IllegalArgumentException(
          "per-series models: no series with id '"
              + Quoted.of(id)
              + "'; ids are "
              + Quoted.list(ids()));
    }
    return m;
  }

  /** Holdout scores by id (empty when trained without a holdout, or loaded from files). */
  public Map<String, SeriesRefit.Holdout> holdouts() {
    return holdouts;
  }

  /** The ids left out of training, with their reasons (empty when loaded from files). */
  public List<SkippedSeries> skipped() {
    return skipped;
  }

  @Override
  public IdForecast forecast(String id, int steps, int mcSamples) {
    SeriesModel m = model(id);
    SeriesTail tail = m.tail();
    if (tail == null) {
      throw new IllegalArgumentException(
          "per-series models: the model of '" + Quoted.of(id) + "' keeps no last rows");
    }
    TimeSeries series = tail.toSeries(tail.source());
    TimeSeries inputs = series.missingCount() > 0 ? LinearInterpolation.fill(series) : series;
    SeriesForecast f = m.forecast(inputs, new int[] {inputs.length()}, steps, mcSamples);
    return new IdForecast(
        id,
        series.timeFormat(),
        FutureTimes.after(series, steps),
        f.mean(0),
        f.std(0),
        SeriesPrecision.forecastDecimals(series.column(m.info().target())));
  }

  /**
   * Writes every model into {@code folder} (created if needed) as {@code series-00001.tsm}, ...;
   * files of that pattern left from an earlier, larger save are deleted, other files are not
   * touched.
   */
  public void save(Path folder) throws IOException {
    if (folder == null) {
      throw new IllegalArgumentException("per-series models: expected a folder, got null");
    }
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "per-series models: "
              + folder
              + " is a file; expected a folder for one model file per id");
    }
    Files.createDirectories(folder);
    int i = 1;
    for (Map.Entry<String, SeriesModel> e : models.entrySet()) {
      SeriesModel m = e.getValue();
      ModelMetadata.Builder b = ModelMetadata.builder().putAll(m.info().toMetadata());
      if (m.tail() != null) {
        b.putAll(m.tail().toMetadata());
      }
      b.put(ID_KEY, e.getKey());
      Path file = folder.resolve(fileName(i++));
      AtomicFiles.createFolders(file);
      ModelFile.save(m.model(), file, b.build());
    }
    for (Map.Entry<Integer, Path> old : files(folder).entrySet()) {
      if (old.getKey() > models.size()) {
        Files.delete(old.getValue());
      }
    }
  }

  /** Whether {@code path} is a folder holding per-series model files. */
  public static boolean isFolder(Path path) throws IOException {
    return path != null && Files.isDirectory(path) && !files(path).isEmpty();
  }

  /**
   * Loads the models {@link #save} wrote into {@code folder}.
   *
   * @throws IllegalArgumentException when the folder holds no per-series model file
   * @throws ModelFileException when a file is damaged or has no id
   */
  public static PerSeriesModels load(Path folder, Backend backend) throws IOException {
    if (folder == null || !Files.isDirectory(folder)) {
      throw new IllegalArgumentException("per-series models: " + folder + " is not a folder");
    }
    Map<Integer, Path> files = files(folder);
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          "per-series models: folder "
              + folder
              + " holds no per-series model files (series-00001.tsm, ...)");
    }
    Map<String, SeriesModel> models = new LinkedHashMap<>();
    boolean done = false;
    try {
      for (Path file : files.values()) {
        SavedModel saved = ModelFile.load(file, backend);
        SeriesModel m;
        String id;
        try {
          id =
              saved
                  .metadata()
                  .text(ID_KEY)
                  .orElseThrow(
                      () ->
                          new ModelFileException(
                              "model file " + file + " has no '" + ID_KEY + "' entry"));
          m = SeriesModel.from(saved, file.toString());
        } catch (RuntimeException e) {
          saved.close();
          throw e;
        }
        if (models.putIfAbsent(id, m) != null) {
          m.close();
          throw new ModelFileException(
              "model file " + file + " repeats the id '" + Quoted.of(id) + "' of another file");
        }
      }
      PerSeriesModels out = new PerSeriesModels(models, Map.of(), List.of());
      done = true;
      return out;
    } finally {
      if (!done) {
        models.values().forEach(SeriesModel::close);
      }
    }
  }

  /** The name of the file of the {@code index}-th model (1-based) in a saved folder. */
  public static String fileName(int index) {
    return String.format(java.util.Locale.ROOT, "series-%05d.tsm", index);
  }

  /** The per-series model files of a folder, by index. */
  private static Map<Integer, Path> files(Path folder) throws IOException {
    Map<Integer, Path> out = new TreeMap<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(folder)) {
      for (Path p : all) {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p)) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    models.values().forEach(SeriesModel::close);
  }
}
