package dev.timestep.spark;

import dev.timestep.pipeline.SeriesEnsemble;
import dev.timestep.pipeline.SeriesModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring of a saved Timestep series model file (a {@code .tsm} file of a {@code SeriesModel}
 * or of a {@code SeriesEnsemble}, as the default workflow saves) as a Spark ML {@link Transformer}.
 * The file's bytes are broadcast once; each executor JVM loads them once and every task there
 * predicts with that model in batches of {@link #batchSize} windows: a plain model with one native
 * call per batch, an ensemble with one per member and batch (members' median, its transform
 * inverted, as its own forecast of each window alone). Each task runs the native kernels on {@code
 * spark.task.cpus} threads (default 1), so an executor's concurrent tasks together use its cores,
 * and scoring scales with task slots.
 *
 * <p>Two input formats ({@link #format}):
 *
 * <ul>
 *   <li>{@code windows}: column {@link #inputCol} holds one window per row, an array of {@code
 *       window x columns} numbers in original units, time-major (an ensemble trained under a
 *       seasonal difference reads its lag's rows more: {@link #inputRows}). Every input column is
 *       kept.
 *   <li>{@code long}: rows (id, time, value) of many series; each id's last {@code window} values
 *       (by time) are its window. One row per id: the id and its forecast.
 * </ul>
 *
 * <p>Output: {@link #outputCol} (array of {@code steps} doubles, original units), {@link #stdCol}
 * with MC-dropout samples (the spread, for intervals), for an ensemble with conformal intervals
 * {@code lower_80, upper_80, lower_95, upper_95} (one column per bound and level; null when the
 * steps exceed those the intervals were calibrated on), and {@link #errorCol}: null, or why the row
 * could not be scored (wrong length, a missing value, too few rows), its forecast then null.
 *
 * <pre>{@code
 * TimestepForecaster f = TimestepForecaster.fromFile(Path.of("sales.tsm"))
 *     .setFormat("long").setIdCol("store").setTimeCol("date").setValueCol("sales");
 * Dataset<Row> forecasts = f.transform(history);   // store, forecast, error
 * f.write().overwrite().save("hdfs:///models/sales-forecaster");
 * }</pre>
 */
public final class TimestepForecaster extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final byte[] modelBytes;
  private final ModelShape shape;
  private transient Broadcast<byte[]> broadcast;

  /** "windows" (an array column) or "long" (id, time, value rows). */
  private final Param<String> format;

  private final Param<String> inputCol;
  private final Param<String> idCol;
  private final Param<String> timeCol;
  private final Param<String> valueCol;
  private final Param<String> outputCol;
  private final Param<String> stdCol;
  private final Param<String> errorCol;

  /** Values forecast per window; 0 (the default) for the model's horizon. */
  private final IntParam steps;

  /** 0 for one deterministic pass; 2 or more MC-dropout samples (a model trained with dropout). */
  private final IntParam mcSamples;

  /** Windows per predict call. */
  private final IntParam batchSize;

  /**
   * A forecaster of the model in {@code file}.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a series model
   */
  public static TimestepForecaster fromFile(Path file) throws IOException {
    if (file == null || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("timestep forecaster: no model file at " + file);
    }
    return new TimestepForecaster(
        Identifiable$.MODULE$.randomUID("timestepForecaster"), Files.readAllBytes(file));
  }

  /** A forecaster of a model in memory (its bytes are taken now; the model stays the caller's). */
  public static TimestepForecaster of(SeriesModel model) {
    if (model == null) {
      throw new IllegalArgumentException("timestep forecaster: expected a model, got null");
    }
    return new TimestepForecaster(
        Identifiable$.MODULE$.randomUID("timestepForecaster"), ExecutorModels.toBytes(model));
  }

  /**
   * A forecaster of an ensemble in memory (its bytes are taken now; the ensemble stays the
   * caller's).
   */
  public static TimestepForecaster of(SeriesEnsemble ensemble) {
    if (ensemble == null) {
      throw new IllegalArgumentException("timestep forecaster: expected an ensemble, got null");
    }
    return new TimestepForecaster(
        Identifiable$.MODULE$.randomUID("timestepForecaster"), ExecutorModels.toBytes(ensemble));
  }

  /**
   * A forecaster of the model file's bytes, with this uid (as a reader restores it).
   *
   * @throws IllegalArgumentException when the bytes are not a series model
   */
  public TimestepForecaster(String uid, byte[] modelBytes) {
    this(uid, required(uid, modelBytes).clone(), ModelShape.of(modelBytes));
  }

  private static byte[] required(String uid, byte[] modelBytes) {
    if (uid == null || modelBytes == null || modelBytes.length == 0) {
      throw new IllegalArgumentException("timestep forecaster: a uid and model bytes are required");
    }
    return modelBytes;
  }

  /** A copy's constructor: the model's shape is known, so the bytes are not loaded again. */
  private TimestepForecaster(String uid, byte[] modelBytes, ModelShape shape) {
    this.uid = uid;
    this.modelBytes = modelBytes;
    this.shape = shape;
    format = new Param<>(this, "format", "input format: windows (an array column) or long");
    inputCol = new Param<>(this, "inputCol", "array column of windows (format windows)");
    idCol = new Param<>(this, "idCol", "series id column (format long)");
    timeCol = new Param<>(this, "timeCol", "time column (format long)");
    valueCol = new Param<>(this, "valueCol", "value column (format long)");
    outputCol = new Param<>(this, "outputCol", "forecast column");
    stdCol = new Param<>(this, "stdCol", "MC-dropout spread column (with mcSamples)");
    errorCol = new Param<>(this, "errorCol", "why a row was not scored, or null");
    steps = new IntParam(this, "steps", "values per forecast; 0: the model's horizon");
    mcSamples = new IntParam(this, "mcSamples", "MC-dropout samples; 0: none");
    batchSize = new IntParam(this, "batchSize", "windows per predict call");
    setDefault(format, "windows");
    setDefault(inputCol, "window");
    setDefault(idCol, "id");
    setDefault(timeCol, "time");
    setDefault(valueCol, "value");
    setDefault(outputCol, "forecast");
    setDefault(stdCol, "forecast_std");
    setDefault(errorCol, "error");
    setDefault(steps, 0);
    setDefault(mcSamples, 0);
    setDefault(batchSize, 256);
  }

  /** The param {@code format} (Spark ML finds params by their accessors). */
  public Param<String> format() {
    return format;
  }

  /** The param {@code inputCol} (Spark ML finds params by their accessors). */
  public Param<String> inputCol() {
    return inputCol;
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

  /** The param {@code outputCol} (Spark ML finds params by their accessors). */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** The param {@code stdCol} (Spark ML finds params by their accessors). */
  public Param<String> stdCol() {
    return stdCol;
  }

  /** The param {@code errorCol} (Spark ML finds params by their accessors). */
  public Param<String> errorCol() {
    return errorCol;
  }

  /** The param {@code steps} (Spark ML finds params by their accessors). */
  public IntParam steps() {
    return steps;
  }

  /** The param {@code mcSamples} (Spark ML finds params by their accessors). */
  public IntParam mcSamples() {
    return mcSamples;
  }

  /** The param {@code batchSize} (Spark ML finds params by their accessors). */
  public IntParam batchSize() {
    return batchSize;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The model file's bytes, as broadcast. */
  public byte[] modelBytes() {
    return modelBytes.clone();
  }

  public TimestepForecaster setFormat(String v) {
    String f = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
    if (!f.equals("windows") && !f.equals("long")) {
      throw new IllegalArgumentException(
          "timestep forecaster: unknown format '" + v + "'; choose windows or long");
    }
    set(format, f);
    return this;
  }

  public TimestepForecaster setInputCol(String v) {
    set(inputCol, v);
    return this;
  }

  public TimestepForecaster setIdCol(String v) {
    set(idCol, v);
    return this;
  }

  public TimestepForecaster setTimeCol(String v) {
    set(timeCol, v);
    return this;
  }

  public TimestepForecaster setValueCol(String v) {
    set(valueCol, v);
    return this;
  }

  public TimestepForecaster setOutputCol(String v) {
    set(outputCol, v);
    return this;
  }

  public TimestepForecaster setStdCol(String v) {
    set(stdCol, v);
    return this;
  }

  public TimestepForecaster setErrorCol(String v) {
    set(errorCol, v);
    return this;
  }

  public TimestepForecaster setSteps(int v) {
    if (v < 0) {
      throw new IllegalArgumentException(
          "timestep forecaster: steps must be 0 (the horizon) or more, got " + v);
    }
    set(steps, v);
    return this;
  }

  public TimestepForecaster setMcSamples(int v) {
    if (v < 0 || v == 1) {
      throw new IllegalArgumentException(
          "timestep forecaster: MC samples must be 0 (none) or at least 2, got " + v);
    }
    set(mcSamples, v);
    return this;
  }

  public TimestepForecaster setBatchSize(int v) {
    if (v < 1) {
      throw new IllegalArgumentException(
          "timestep forecaster: batch size must be at least 1, got " + v);
    }
    set(batchSize, v);
    return this;
  }

  private String str(Param<String> p) {
    return (String) getOrDefault(p);
  }

  private int num(IntParam p) {
    return (Integer) getOrDefault(p);
  }

  private boolean isLong() {
    return str(format).equals("long");
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (num(mcSamples) > 0 && !shape.plain()) {
      throw new IllegalArgumentException(
          "timestep forecaster: MC-dropout samples need a plain model, but this file is "
              + shape.describe()
              + ", whose spread is its conformal intervals (set mcSamples 0)");
    }
    int features = shape.features();
    int horizon = shape.memberHorizon();
    if (num(mcSamples) > 0 && !shape.dropout()) {
      throw new IllegalArgumentException(
          "timestep forecaster: "
              + num(mcSamples)
              + " MC-dropout samples need a model trained with dropout; this one has none (set"
              + " mcSamples 0)");
    }
    if (num(steps) > horizon && features > 1) {
      throw new IllegalArgumentException(
          "timestep forecaster: "
              + num(steps)
              + " steps exceed the model's horizon of "
              + horizon
              + ", which feeds forecasts back as inputs and so needs a model of one column, but"
              + " this one reads "
              + features);
    }
    List<StructField> out = new ArrayList<>();
    if (isLong()) {
      if (features != 1) {
        throw new IllegalArgumentException(
            "timestep forecaster: format long reads one value column, but the model reads "
                + features
                + " columns; give windows instead");
      }
      field(schema, str(idCol), "the id column");
      field(schema, str(timeCol), "the time column");
      requireNumeric(field(schema, str(valueCol), "the value column"), str(valueCol));
      out.add(field(schema, str(idCol), "the id column"));
    } else {
      StructField in = field(schema, str(inputCol), "the window column");
      if (!(in.dataType() instanceof ArrayType a) || !(a.elementType() instanceof NumericType)) {
        throw new IllegalArgumentException(
            "timestep forecaster: column '"
                + in.name()
                + "' must be an array of numbers (a window), but is "
                + in.dataType().simpleString());
      }
      out.addAll(List.of(schema.fields()));
    }
    DataType doubles = DataTypes.createArrayType(DataTypes.DoubleType, false);
    out.add(DataTypes.createStructField(str(outputCol), doubles, true));
    if (num(mcSamples) > 0) {
      out.add(DataTypes.createStructField(str(stdCol), doubles, true));
    }
    for (String bound : shape.boundColumns()) {
      out.add(DataTypes.createStructField(bound, doubles, true));
    }
    out.add(DataTypes.createStructField(str(errorCol), DataTypes.StringType, true));
    List<String> seen = new ArrayList<>();
    for (StructField f : out) {
      if (seen.contains(f.name())) {
        throw new IllegalArgumentException(
            "timestep forecaster: output column '" + f.name() + "' already exists in the input");
      }
      seen.add(f.name());
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
        "timestep forecaster: "
            + what
            + " '"
            + name
            + "' is not in the input; its columns are "
            + List.of(schema.fieldNames()));
  }

  private static void requireNumeric(StructField f, String name) {
    if (!(f.dataType() instanceof NumericType)) {
      throw new IllegalArgumentException(
          "timestep forecaster: value column '"
              + name
              + "' must be numeric, but is "
              + f.dataType().simpleString());
    }
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType outSchema = transformSchema(dataset.schema());
    Dataset<Row> in;
    WindowInput reader;
    int keep;
    if (isLong()) {
      Column rows =
          functions.sort_array(
              functions.collect_list(
                  functions.struct(
                      functions.col(str(timeCol)).as("t"),
                      functions.col(str(valueCol)).cast(DataTypes.DoubleType).as("v"))));
      in = dataset.groupBy(functions.col(str(idCol))).agg(rows.as("rows"));
      reader = new WindowInput(1, true, shape.inputRows(), shape.features());
      keep = 1;
    } else {
      in = dataset.toDF();
      reader =
          new WindowInput(
              in.schema().fieldIndex(str(inputCol)), false, shape.inputRows(), shape.features());
      keep = in.schema().fields().length;
    }
    JavaRDD<Row> scored =
        in.javaRDD()
            .mapPartitions(
                new ScorePartition(
                    broadcast(dataset),
                    reader,
                    keep,
                    num(steps),
                    num(mcSamples),
                    num(batchSize),
                    shape.boundColumns().size() / 2,
                    TaskThreads.ofJob(dataset.sparkSession())));
    return dataset.sparkSession().createDataFrame(scored, outSchema);
  }

  private synchronized Broadcast<byte[]> broadcast(Dataset<?> dataset) {
    if (broadcast == null) {
      broadcast =
          JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
              .broadcast(modelBytes);
    }
    return broadcast;
  }

  /** The model's window (steps per input window). */
  public int window() {
    return shape.window();
  }

  /**
   * The rows each input window must hold: the model's window, plus the lag of an ensemble trained
   * under a seasonal difference (whose window is formed from differences).
   */
  public int inputRows() {
    return shape.inputRows();
  }

  /** The steps forecast by default: the model's horizon, or the ensemble's. */
  public int horizon() {
    return shape.horizon();
  }

  /** Whether the file is one plain model (else an ensemble: several members, a transform...). */
  public boolean isPlain() {
    return shape.plain();
  }

  @Override
  public TimestepForecaster copy(ParamMap extra) {
    return (TimestepForecaster) copyValues(new TimestepForecaster(uid, modelBytes, shape), extra);
  }

  @Override
  public MLWriter write() {
    return new ForecasterPersistence.Writer(this);
  }

  /** The reader of a saved forecaster (also what a {@code PipelineModel} load calls). */
  public static MLReader<TimestepForecaster> read() {
    return new ForecasterPersistence.Reader();
  }

  /** Loads a forecaster saved with {@link #write()}. */
  public static TimestepForecaster load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "TimestepForecaster["
        + uid
        + ", window "
        + shape.window()
        + " x "
        + shape.features()
        + ", horizon "
        + shape.horizon()
        + (shape.plain() ? "" : ", " + shape.describe())
        + "]";
  }
}
