package dev.timestep.spark;

import dev.timestep.backend.Backends;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.AutoSettings;
import dev.timestep.pipeline.TransformChoice;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * One forecaster per series as a Spark ML {@link Estimator} over long-format rows (id, time,
 * value): the rows are grouped by id and each group is trained in a task by the library's default
 * workflow, {@code AutoTrainer} (each candidate model under each transform backtested on
 * rolling-origin folds, the lowest MASE refit on every row but the last {@link #holdout} with
 * {@link #members} seeds whose median is the forecast, split-conformal intervals from the folds'
 * residuals, holdout scored by MASE). Every setting left at its default is the workflow's own
 * default. {@link #fit} trains every series and returns a {@link TimestepPerSeriesModel} whose
 * results hold, per id, the forecast of {@link #horizon} steps, its 80% interval, the holdout MASE,
 * the chosen candidate, the members' epochs, the rows and an error (why a series could not be
 * trained, e.g. too few rows; its other columns then null), and with {@link #keepModels} each
 * ensemble file as a binary column.
 *
 * <p>Each task sets the native kernels to {@code spark.task.cpus} threads, so the tasks an executor
 * runs at once never use more threads than its cores.
 *
 * <pre>{@code
 * TimestepPerSeriesModel m = new TimestepPerSeries().setIdCol("store").setTimeCol("date")
 *     .setValueCol("sales").setHorizon(3).fit(history);
 * m.results().write().parquet("hdfs:///forecasts/sales");
 * }</pre>
 *
 * <p>It saves and loads with its params ({@code write()}, {@link #load}), so an unfitted {@code
 * Pipeline} holding it does too; its fitted model saves its results.
 */
public final class TimestepPerSeries extends Estimator<TimestepPerSeriesModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;

  private final Param<String> idCol;
  private final Param<String> timeCol;
  private final Param<String> valueCol;

  /** The chapter models backtested against each other (see {@code ChapterModels.names()}). */
  private final StringArrayParam models;

  /** The transforms backtested: none, log, boxcox, sdiff. */
  private final StringArrayParam transforms;

  private final IntParam window;
  private final IntParam horizon;
  private final IntParam epochs;
  private final IntParam batchSize;

  /** Adam's learning rate; 0 for the book's rate for the model. */
  private final DoubleParam learningRate;

  /** Models refit with different seeds whose median is the forecast. */
  private final IntParam members;

  /** Rolling-origin folds scoring each candidate and calibrating the intervals; 0: choose. */
  private final IntParam folds;

  /** Rows at the end of each series held out and scored (MASE); 0 for none. */
  private final IntParam holdout;

  /** The seasonal-naive period of the MASE scale; 0 to detect it from the time step. */
  private final IntParam season;

  private final LongParam seed;

  /** Whether the results keep each model file as a binary column "model". */
  private final BooleanParam keepModels;

  public TimestepPerSeries() {
    this(Identifiable$.MODULE$.randomUID("timestepPerSeries"));
  }

  public TimestepPerSeries(String uid) {
    this.uid = uid;
    idCol = new Param<>(this, "idCol", "series id column");
    timeCol = new Param<>(this, "timeCol", "time column (date or timestamp)");
    valueCol = new Param<>(this, "valueCol", "value column");
    models = new StringArrayParam(this, "models", "chapter models backtested");
    transforms = new StringArrayParam(this, "transforms", "transforms backtested");
    window = new IntParam(this, "window", "input steps per window; 0: choose");
    horizon = new IntParam(this, "horizon", "steps forecast");
    epochs = new IntParam(this, "epochs", "most epochs of a fit; 0: choose");
    batchSize = new IntParam(this, "batchSize", "windows per training step");
    learningRate = new DoubleParam(this, "learningRate", "Adam's rate; 0: the model's own");
    members = new IntParam(this, "members", "models refit with different seeds");
    folds = new IntParam(this, "folds", "backtest folds; 0: choose");
    holdout = new IntParam(this, "holdout", "rows held out and scored; 0: none");
    season = new IntParam(this, "season", "seasonal period of the MASE scale; 0: detect");
    seed = new LongParam(this, "seed", "seed of weights and shuffling");
    keepModels = new BooleanParam(this, "keepModels", "keep each ensemble file as a binary column");
    setDefault(idCol, "id");
    setDefault(timeCol, "time");
    setDefault(valueCol, "value");
    setDefault(models, AutoSettings.AUTO_MODELS.toArray(new String[0]));
    setDefault(
        transforms,
        AutoSettings.AUTO_TRANSFORMS.stream().map(TransformChoice::label).toArray(String[]::new));
    setDefault(window, 0);
    setDefault(horizon, 1);
    setDefault(epochs, 0);
    setDefault(batchSize, 32);
    setDefault(learningRate, 0.0);
    setDefault(members, AutoSettings.DEFAULT_MEMBERS);
    setDefault(folds, 0);
    setDefault(holdout, 0);
    setDefault(season, 0);
    setDefault(seed, 0L);
    setDefault(keepModels, false);
  }

  /** The param {@code idCol} (Spark ML finds params by their accessors). */
  public Param<String> idCol() {
    return idCol;
  }

  /** The param {@code timeCol} (Spark ML finds params by their accessors). */
  public Param<String> timeCol() {
    return timeCol;
  }

  /** The param {@code valueCol} (Spark ML finds params by their accessors). */
  public Param<String> valueCol() {
    return valueCol;
  }

  /** The param {@code models} (Spark ML finds params by their accessors). */
  public StringArrayParam models() {
    return models;
  }

  /** The param {@code transforms} (Spark ML finds params by their accessors). */
  public StringArrayParam transforms() {
    return transforms;
  }

  /** The param {@code members} (Spark ML finds params by their accessors). */
  public IntParam members() {
    return members;
  }

  /** The param {@code folds} (Spark ML finds params by their accessors). */
  public IntParam folds() {
    return folds;
  }

  /** The param {@code window} (Spark ML finds params by their accessors). */
  public IntParam window() {
    return window;
  }

  /** The param {@code horizon} (Spark ML finds params by their accessors). */
  public IntParam horizon() {
    return horizon;
  }

  /** The param {@code epochs} (Spark ML finds params by their accessors). */
  public IntParam epochs() {
    return epochs;
  }

  /** The param {@code batchSize} (Spark ML finds params by their accessors). */
  public IntParam batchSize() {
    return batchSize;
  }

  /** The param {@code learningRate} (Spark ML finds params by their accessors). */
  public DoubleParam learningRate() {
    return learningRate;
  }

  /** The param {@code holdout} (Spark ML finds params by their accessors). */
  public IntParam holdout() {
    return holdout;
  }

  /** The param {@code season} (Spark ML finds params by their accessors). */
  public IntParam season() {
    return season;
  }

  /** The param {@code seed} (Spark ML finds params by their accessors). */
  public LongParam seed() {
    return seed;
  }

  /** The param {@code keepModels} (Spark ML finds params by their accessors). */
  public BooleanParam keepModels() {
    return keepModels;
  }

  @Override
  public String uid() {
    return uid;
  }

  public TimestepPerSeries setIdCol(String v) {
    set(idCol, v);
    return this;
  }

  public TimestepPerSeries setTimeCol(String v) {
    set(timeCol, v);
    return this;
  }

  public TimestepPerSeries setValueCol(String v) {
    set(valueCol, v);
    return this;
  }

  /**
   * Trains this one chapter model (under each transform) instead of choosing among several: as
   * {@link #setModels} with one name.
   *
   * @throws IllegalArgumentException for a name that is not a chapter model (the message lists
   *     them)
   */
  public TimestepPerSeries setModel(String v) {
    return setModels(v);
  }

  /**
   * The chapter models backtested against each other; named models are all backtested, whatever a
   * fit costs (the default list skips the recurrent one on long series).
   *
   * @throws IllegalArgumentException for none, or a name that is not a chapter model
   */
  public TimestepPerSeries setModels(String... v) {
    if (v == null || v.length == 0) {
      throw new IllegalArgumentException("per-series training: at least one model is needed");
    }
    for (String m : v) {
      ChapterModels.named(m);
    }
    set(models, v.clone());
    return this;
  }

  /**
   * The transforms backtested (none, log, boxcox, sdiff; log and Box-Cox are skipped for a series
   * with a value at or below 0).
   *
   * @throws IllegalArgumentException for none, or an unknown name
   */
  public TimestepPerSeries setTransforms(String... v) {
    if (v == null || v.length == 0) {
      throw new IllegalArgumentException("per-series training: at least one transform is needed");
    }
    for (String t : v) {
      TransformChoice.named(t);
    }
    set(transforms, v.clone());
    return this;
  }

  /** Input steps per window; 0 (the default) lets the workflow choose from the season and rows. */
  public TimestepPerSeries setWindow(int v) {
    set(window, atLeast(0, v, "window"));
    return this;
  }

  /** Models refit with seeds seed, seed + 1, ...; the forecast is their median per step. */
  public TimestepPerSeries setMembers(int v) {
    set(members, atLeast(1, v, "members"));
    return this;
  }

  /** Backtest folds per candidate; 0 (the default) lets the workflow choose (5, fewer if short). */
  public TimestepPerSeries setFolds(int v) {
    set(folds, atLeast(0, v, "folds"));
    return this;
  }

  public TimestepPerSeries setHorizon(int v) {
    set(horizon, atLeast(1, v, "horizon"));
    return this;
  }

  /** The most epochs of a fit (early stopping may end it sooner); 0 (the default): choose. */
  public TimestepPerSeries setEpochs(int v) {
    set(epochs, atLeast(0, v, "epochs"));
    return this;
  }

  public TimestepPerSeries setBatchSize(int v) {
    set(batchSize, atLeast(1, v, "batch size"));
    return this;
  }

  public TimestepPerSeries setLearningRate(double v) {
    if (!(v >= 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(
          "per-series training: learning rate must be 0 (the model's own) or positive, got " + v);
    }
    set(learningRate, v);
    return this;
  }

  public TimestepPerSeries setHoldout(int v) {
    set(holdout, atLeast(0, v, "holdout"));
    return this;
  }

  public TimestepPerSeries setSeason(int v) {
    set(season, atLeast(0, v, "season"));
    return this;
  }

  public TimestepPerSeries setSeed(long v) {
    set(seed, v);
    return this;
  }

  public TimestepPerSeries setKeepModels(boolean v) {
    set(keepModels, v);
    return this;
  }

  private static int atLeast(int min, int v, String what) {
    if (v < min) {
      throw new IllegalArgumentException(
          "per-series training: " + what + " must be at least " + min + ", got " + v);
    }
    return v;
  }

  private String str(Param<String> p) {
    return (String) getOrDefault(p);
  }

  private int num(IntParam p) {
    return (Integer) getOrDefault(p);
  }

  /**
   * The results' columns: the id, then forecast, lower_80, upper_80, mase, chosen, epochs (one per
   * member), rows, error[, model].
   */
  @Override
  public StructType transformSchema(StructType schema) {
    StructField id = field(schema, str(idCol), "the id column");
    StructField time = field(schema, str(timeCol), "the time column");
    if (!(time.dataType() instanceof DateType)
        && !(time.dataType() instanceof TimestampType)
        && !(time.dataType() instanceof TimestampNTZType)) {
      throw new IllegalArgumentException(
          "per-series training: time column '"
              + time.name()
              + "' must be a date or a timestamp, but is "
              + time.dataType().simpleString());
    }
    StructField value = field(schema, str(valueCol), "the value column");
    if (!(value.dataType() instanceof NumericType)) {
      throw new IllegalArgumentException(
          "per-series training: value column '"
              + value.name()
              + "' must be numeric, but is "
              + value.dataType().simpleString());
    }
    List<StructField> out = new ArrayList<>();
    out.add(id);
    DataType doubles = DataTypes.createArrayType(DataTypes.DoubleType, false);
    out.add(DataTypes.createStructField("forecast", doubles, true));
    out.add(DataTypes.createStructField("lower_80", doubles, true));
    out.add(DataTypes.createStructField("upper_80", doubles, true));
    out.add(DataTypes.createStructField("mase", DataTypes.DoubleType, true));
    out.add(DataTypes.createStructField("chosen", DataTypes.StringType, true));
    out.add(
        DataTypes.createStructField(
            "epochs", DataTypes.createArrayType(DataTypes.IntegerType, false), true));
    out.add(DataTypes.createStructField("rows", DataTypes.IntegerType, false));
    out.add(DataTypes.createStructField("error", DataTypes.StringType, true));
    if ((Boolean) getOrDefault(keepModels)) {
      out.add(DataTypes.createStructField("model", DataTypes.BinaryType, true));
    }
    return DataTypes.createStructType(out);
  }

  private static StructField field(StructType schema, String name, String what) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "per-series training: "
            + what
            + " '"
            + name
            + "' is not in the input; its columns are "
            + List.of(schema.fieldNames()));
  }

  /** Trains every series now (the results are cached) and returns their model. */
  @Override
  public TimestepPerSeriesModel fit(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema());
    AutoSpec spec = spec();
    spec.settings(Backends.auto()); // bad settings fail here, on the driver, not in every task
    int taskCpus = TaskThreads.ofJob(dataset.sparkSession());
    Dataset<Row> groups =
        dataset
            .groupBy(functions.col(str(idCol)))
            .agg(
                functions
                    .sort_array(
                        functions.collect_list(
                            functions.struct(
                                functions.col(str(timeCol)).as("t"),
                                functions.col(str(valueCol)).cast(DataTypes.DoubleType).as("v"))))
                    .as("rows"));
    JavaRDD<Row> trained =
        groups
            .javaRDD()
            .mapPartitions(
                new TrainPartition(
                    spec,
                    str(valueCol),
                    str(timeCol),
                    (Boolean) getOrDefault(keepModels),
                    taskCpus));
    Dataset<Row> results = dataset.sparkSession().createDataFrame(trained, schema).cache();
    results.count();
    return (TimestepPerSeriesModel)
        copyValues(new TimestepPerSeriesModel(uid, results), ParamMap.empty()).setParent(this);
  }

  /** The workflow's settings as set here, for the tasks. */
  AutoSpec spec() {
    return new AutoSpec(
        List.of((String[]) getOrDefault(models)),
        !isSet(models),
        List.of((String[]) getOrDefault(transforms)),
        num(window),
        num(horizon),
        num(epochs),
        num(batchSize),
        (Double) getOrDefault(learningRate),
        num(members),
        num(folds),
        num(season),
        num(holdout),
        (Long) getOrDefault(seed));
  }

  @Override
  public TimestepPerSeries copy(ParamMap extra) {
    return (TimestepPerSeries) defaultCopy(extra);
  }

  /** The reader of a saved estimator (also what a {@code Pipeline} load calls). */
  public static MLReader<TimestepPerSeries> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an estimator saved with {@code write()}. */
  public static TimestepPerSeries load(String path) {
    return read().load(path);
  }
}
