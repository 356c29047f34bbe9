package dev.timestep.pipeline;

import dev.timestep.data.ChapterData;
import dev.timestep.data.Dataset;
import dev.timestep.data.Forecasts;
import dev.timestep.data.SeriesGenerator;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.data.series.MinMaxScaler;
import dev.timestep.data.series.SeriesSplit;
import dev.timestep.data.series.SeriesWindows;
import dev.timestep.data.series.StandardScaler;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.data.series.Windows;
import dev.timestep.models.ChapterModel;
import dev.timestep.nn.Callback;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a chapter model on a real series the way a forecast should be evaluated: the rows are
 * split chronologically (70% train, 20% validation, 10% test, never shuffled), the scaler is fitted
 * on the training rows only, windows that touch a missing value are skipped (and counted), and the
 * validation error is reported in the series' own units.
 *
 * <pre>{@code
 * TrainingSettings s = TrainingSettings.of(ChapterModels.named("linear"), 52, 1, Backends.auto());
 * try (SeriesModel m = SeriesTrainer.train(RealSeries.maunaLoaCo2(), "co2", List.of(), "builtin co2", s).model()) {
 *   m.save(Path.of("co2.tsm"));
 * }
 * }</pre>
 */
public final class SeriesTrainer {
  /** Share of the rows (or generated series) used for training. */
  public static final double TRAIN_FRACTION = 0.7;

  /** Share used for validation; the rest is the test part. */
  public static final double VALID_FRACTION = 0.2;

  private SeriesTrainer() {}

  /**
   * Trains on {@code target} (and the extra input columns {@code features}) of a series.
   *
   * @param input how the series was given, kept in the model's info ("builtin co2", "csv FILE")
   * @param timeColumn the CSV's time column, kept so a forecast can read the same file (may be
   *     null)
   */
  public static TrainingResult train(
      TimeSeries series,
      String target,
      List<String> features,
      String input,
      String timeColumn,
      TrainingSettings s) {
    return fit(prepare(series, target, features, input, timeColumn, s), s);
  }

  /**
   * The split, scaling and windows {@link #train} would use, before any training (to report them
   * first).
   */
  public static TrainingData prepare(
      TimeSeries series,
      String target,
      List<String> features,
      String input,
      String timeColumn,
      TrainingSettings s) {
    return prepare(series, target, features, input, timeColumn, s, GapFill.NONE);
  }

  /**
   * As {@link #prepare(TimeSeries, String, List, String, String, TrainingSettings)}, with gaps in
   * the windows' inputs treated as {@code fill} says (each part filled on its own rows; targets
   * never).
   */
  public static TrainingData prepare(
      TimeSeries series,
      String target,
      List<String> features,
      String input,
      String timeColumn,
      TrainingSettings s,
      GapFill fill) {
    if (fill == null) {
      throw new IllegalArgumentException("train: a gap fill (linear or none) is required");
    }
    if (series == null || target == null || s == null) {
      throw new IllegalArgumentException(
          "train: a series, a target column and settings are required");
    }
    List<String> columns = SeriesTrainer.columns(target, features);
    TimeSeries data = series.select(columns.toArray(new String[0]));
    int span = s.window() + s.horizon();
    if (s.window() >= data.length()) {
      throw new IllegalArgumentException(
          "window of "
              + s.window()
              + " steps is longer than the series: "
              + data.source()
              + " has "
              + data.length()
              + " steps");
    }
    SeriesSplit split = SeriesSplit.byFractions(data, TRAIN_FRACTION, VALID_FRACTION);
    if (split.valid().length() < span) {
      throw new IllegalArgumentException(
          "window "
              + s.window()
              + " + horizon "
              + s.horizon()
              + " needs "
              + span
              + " steps, but the validation part (the "
              + Math.round(100 * VALID_FRACTION)
              + "% of "
              + data.source()
              + " after the training rows) has only "
              + split.valid().length()
              + "; use a shorter window or horizon");
    }
    ColumnScaler scaler = fitScaler(s, split.train());
    SeriesModelInfo info =
        SeriesModelInfo.of(
            s,
            columns,
            target,
            s.scaler(),
            scaler,
            input,
            timeColumn,
            split.train().time(split.train().length() - 1));
    WindowSpec spec = info.windowSpec();
    GapFill.Result train = fill.windows(scaler.transform(split.train()), spec);
    GapFill.Result valid = fill.windows(scaler.transform(split.valid()), spec);
    // The whole series' end, not the training part's: a forecast continues the series.
    SeriesTail tail = SeriesTail.of(data, columns, s.window());
    return new TrainingData(
        info,
        train.windows(),
        valid.windows(),
        split.train().length(),
        split.valid().length(),
        fill,
        train,
        valid,
        tail);
  }

  /**
   * Trains on the chapter's generated series (two sines and noise), {@code count} of them, each
   * {@code window + horizon} steps long: one training pair per series, split 70/20/10.
   */
  public static TrainingResult trainOnGenerator(int count, TrainingSettings s) {
    return fit(prepareGenerator(count, s), s);
  }

  /** The data {@link #trainOnGenerator} would use. */
  public static TrainingData prepareGenerator(int count, TrainingSettings s) {
    if (s == null) {
      throw new IllegalArgumentException("train: settings are required");
    }
    if (count < 10) {
      throw new IllegalArgumentException(
          "generator: at least 10 series are needed for the three parts, got " + count);
    }
    List<String> columns = List.of("value");
    SeriesModelInfo info =
        SeriesModelInfo.of(
            s,
            columns,
            "value",
            "none",
            SeriesModelInfo.identityScaler(columns),
            "generator",
            null,
            null);
    NDArray all = SeriesGenerator.generate(count, s.window() + s.horizon(), s.seed());
    int trainEnd = (int) Math.floor(count * TRAIN_FRACTION);
    int validEnd = trainEnd + (int) Math.floor(count * VALID_FRACTION);
    WindowSpec spec = info.windowSpec();
    Windows train = SeriesWindows.build(all.rows(0, trainEnd), spec);
    Windows valid = SeriesWindows.build(all.rows(trainEnd, validEnd), spec);
    return new TrainingData(
        info, train, valid, trainEnd, validEnd - trainEnd, GapFill.NONE, null, null, null);
  }

  /**
   * Trains on prepared data; the settings must be those it was prepared with (the callbacks may
   * differ).
   */
  public static TrainingResult fit(TrainingData data, TrainingSettings s) {
    if (data == null || s == null) {
      throw new IllegalArgumentException("fit: prepared data and settings are required");
    }
    SeriesModelInfo info = data.info();
    if (!s.model().name().equals(info.modelName())
        || s.window() != info.window()
        || s.horizon() != info.horizon()
        || s.dropout() != info.dropout()) {
      throw new IllegalArgumentException(
          "fit: the data was prepared for "
              + info.modelName()
              + " with window "
              + info.window()
              + ", horizon "
              + info.horizon()
              + " and dropout "
              + info.dropout()
              + ", not for "
              + s.model().name()
              + " with window "
              + s.window()
              + ", horizon "
              + s.horizon()
              + " and dropout "
              + s.dropout());
    }
    Windows train = data.train();
    Windows valid = data.valid();
    int trainRows = data.trainRows();
    int validRows = data.validRows();
    ChapterModel cm = s.model();
    Dataset trainSet = forModel(info, cm, train.dataset());
    Dataset validSet = forModel(info, cm, valid.dataset());
    Sequential m = compiled(s);
    boolean done = false;
    try {
      History history =
          m.fit(
              trainSet.x(),
              trainSet.y(),
              FitOptions.defaults()
                  .epochs(s.epochs())
                  .batchSize(s.batchSize())
                  .seed(s.seed())
                  .validation(validSet.x(), validSet.y())
                  .callbacks(s.callbacks().toArray(new Callback[0])));
      SeriesModel model = new SeriesModel(m, info, data.tail());
      double[] errors = validationErrors(model, valid.dataset());
      done = true;
      return new TrainingResult(
          model, history, trainRows, validRows, train, valid, errors[0], errors[1]);
    } finally {
      if (!done) {
        m.close();
      }
    }
  }

  /** The settings' model, built, seeded and compiled (MSE, Adam); the caller closes it. */
  static Sequential compiled(TrainingSettings s) {
    ChapterModel cm = s.model();
    Sequential m = cm.build(s.horizon(), s.dropout()).seed(s.seed()).backend(s.backend());
    try {
      Adam adam = new Adam(s.effectiveLearningRate());
      if (cm.layout() == WindowSpec.Layout.SEQUENCE) {
        m.compile(Loss.mse(), adam, Metric.lastTimeStepMse());
      } else {
        m.compile(Loss.mse(), adam);
      }
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The pairs as the model sees them: relative to each window's level if asked, and for a strided
   * model only the targets of the input steps its output steps stand for.
   */
  static Dataset forModel(SeriesModelInfo info, ChapterModel cm, Dataset d) {
    Dataset shifted = info.relative() ? LevelShift.shift(d, info.targetIndex()) : d;
    return cm.stridedOutput()
        ? ChapterData.targetSteps(shifted, cm.outputStart(), cm.outputEvery())
        : shifted;
  }

  /** {model MSE, naive MSE} on the forecast after each validation window, in original units. */
  private static double[] validationErrors(SeriesModel model, Dataset valid) {
    SeriesModelInfo info = model.info();
    int h = info.horizon();
    int n = valid.size();
    int w = info.window();
    int features = info.columns().size();
    int target = info.targetIndex();
    NDArray y = valid.y();
    // The truth is the h values after the window: the whole vector target, or the last step of a
    // sequence one.
    float[] truth = new float[n * h];
    float[] naive = new float[n * h];
    for (int i = 0; i < n; i++) {
      int from = y.rank() == 3 ? ((i + 1) * y.dim(1) - 1) * h : i * h;
      System.arraycopy(y.data(), from, truth, i * h, h);
      Arrays.fill(
          naive, i * h, (i + 1) * h, valid.x().data()[((i + 1) * w - 1) * features + target]);
    }
    SeriesForecast f = model.forecastWindows(valid.x(), h, 0);
    NDArray truthUnits = info.scaler().inverseTarget(NDArray.of(truth, n, h), target);
    NDArray naiveUnits = info.scaler().inverseTarget(NDArray.of(naive, n, h), target);
    NDArray modelUnits = info.scaler().inverseTarget(f.mean(), target);
    return new double[] {
      Forecasts.mse(modelUnits, truthUnits), Forecasts.mse(naiveUnits, truthUnits)
    };
  }

  /** The scaler {@code s} names, fitted on {@code rows} (training rows only). */
  static ColumnScaler fitScaler(TrainingSettings s, TimeSeries rows) {
    return s.scaler().equals("minmax") ? MinMaxScaler.fit(rows) : StandardScaler.fit(rows);
  }

  /** The target column first, then each feature column once. */
  static List<String> columns(String target, List<String> features) {
    List<String> columns = new ArrayList<>(List.of(target));
    for (String f : features == null ? List.<String>of() : features) {
      if (!columns.contains(f)) {
        columns.add(f);
      }
    }
    return columns;
  }
}
