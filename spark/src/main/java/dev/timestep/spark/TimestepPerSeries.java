package dev.timestep.spark;

import dev.timestep.models.ChapterModels;
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
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * One model per series as a Spark ML {@link Estimator} over long-format rows (id, time, value): the
 * rows are grouped by id and each group is trained in a task by the single-series workflow (epochs
 * chosen on a chronological split, refit on every row but the last {@link #holdout}, scaler fitted
 * on the series' own rows, holdout scored by MASE). {@link #fit} trains every series and returns a
 * {@link TimestepPerSeriesModel} whose results hold, per id, the forecast of {@link #horizon}
 * steps, the MASE, the epochs, the rows and an error (why a series could not be trained, e.g. too
 * few rows; its other columns then null), and with {@link #keepModels} each model file as a binary
 * column.
 *
 * <p>Each task sets the native kernels to {@code spark.task.cpus} threads, so the tasks an executor
 * runs at once never use more threads than its cores.
 *
 * <pre>{@code
 * TimestepPerSeriesModel m = new TimestepPerSeries().setIdCol("store").setTimeCol("date")
 *     .setValueCol("sales").setModel("lstm").setWindow(12).setHorizon(3).fit(history);
 * m.results().write().parquet("hdfs:///forecasts/sales");
 * }</pre>
 */
public final class TimestepPerSeries extends Estimator<TimestepPerSeriesModel> {
  private static final long serialVersionUID = 1L;

  private final String uid;

  private final Param<String> idCol;
  private final Param<String> timeCol;
  private final Param<String> valueCol;

  /** The chapter model's name (see {@code ChapterModels.names()}). */
  private final Param<String> model;

  private final IntParam window;
  private final IntParam horizon;
  private final IntParam epochs;
  private final IntParam batchSize;

  /** Adam's learning rate; 0 for the book's rate for the model. */
  private final DoubleParam learningRate;

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
    model = new Param<>(this, "model", "chapter model name");
    window = new IntParam(this, "window", "input steps per window");
    horizon = new IntParam(this, "horizon", "steps forecast");
    epochs = new IntParam(this, "epochs", "most epochs of the split's fit");
    batchSize = new IntParam(this, "batchSize", "windows per training step");
    learningRate = new DoubleParam(this, "learningRate", "Adam's rate; 0: the model's own");
    holdout = new IntParam(this, "holdout", "rows held out and scored; 0: none");
    season = new IntParam(this, "season", "seasonal period of the MASE scale; 0: detect");
    seed = new LongParam(this, "seed", "seed of weights and shuffling");
    keepModels = new BooleanParam(this, "keepModels", "keep each model file as a binary column");
    setDefault(idCol, "id");
    setDefault(timeCol, "time");
    setDefault(valueCol, "value");
    setDefault(model, "linear");
    setDefault(window, 12);
    setDefault(horizon, 1);
    setDefault(epochs, 20);
    setDefault(batchSize, 32);
    setDefault(learningRate, 0.0);
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

  /** The param {@code model} (Spark ML finds params by their accessors). */
  public Param<String> model() {
    return model;
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
   * @throws IllegalArgumentException for a name that is not a chapter model (the message lists
   *     them)
   */
  public TimestepPerSeries setModel(String v) {
    ChapterModels.named(v);
    set(model, v);
    return this;
  }

  public TimestepPerSeries setWindow(int v) {
    set(window, atLeast(1, v, "window"));
    return this;
  }

  public TimestepPerSeries setHorizon(int v) {
    set(horizon, atLeast(1, v, "horizon"));
    return this;
  }

  public TimestepPerSeries setEpochs(int v) {
    set(epochs, atLeast(1, v, "epochs"));
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

  /** The results' columns: the id, then forecast, mase, epochs, rows, error[, model]. */
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
    out.add(
        DataTypes.createStructField(
            "forecast", DataTypes.createArrayType(DataTypes.DoubleType, false), true));
    out.add(DataTypes.createStructField("mase", DataTypes.DoubleType, true));
    out.add(DataTypes.createStructField("epochs", DataTypes.IntegerType, true));
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
    PerSeriesSpec spec =
        new PerSeriesSpec(
            str(model),
            num(window),
            num(horizon),
            num(epochs),
            num(batchSize),
            (Double) getOrDefault(learningRate),
            num(holdout),
            num(season),
            (Long) getOrDefault(seed));
    spec.settings(); // bad settings fail here, on the driver, not in every task
    int taskCpus = dataset.sparkSession().sparkContext().getConf().getInt("spark.task.cpus", 1);
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

  @Override
  public TimestepPerSeries copy(ParamMap extra) {
    return (TimestepPerSeries) defaultCopy(extra);
  }
}
