package dev.timestep.spark.bench;

import dev.timestep.backend.Backends;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.panel.PerSeries;
import dev.timestep.spark.TimestepForecaster;
import dev.timestep.spark.TimestepPerSeries;
import dev.timestep.spark.WindowScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code java -jar spark/target/timestep-spark-bench.jar bench --series N --master local[K] --json
 * FILE}: trains a chapter model on one synthetic series, scores N synthetic windows with it through
 * {@link TimestepForecaster} and in this process with {@link WindowScorer} (batches of 256), and
 * trains one model per series on a sample through {@link TimestepPerSeries}. Writes the
 * throughputs, the largest difference between the two scorings and Spark's cost per partition as
 * JSON.
 */
public final class SparkBench {
  private static final int WINDOW = 12;
  private static final int HORIZON = 1;
  private static final int BATCH = 256;

  private static final StructType WINDOWS =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("key", DataTypes.LongType, false),
              DataTypes.createStructField(
                  "window", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

  private static final StructType LONG =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("id", DataTypes.LongType, false),
              DataTypes.createStructField("time", DataTypes.DateType, false),
              DataTypes.createStructField("value", DataTypes.DoubleType, false)));

  private SparkBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a;
    try {
      a = BenchArgs.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark =
        SparkSession.builder()
            .master(a.master())
            .appName("timestep-spark-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Map<String, Object> out = run(spark, a);
      String json = toJson(out);
      Files.writeString(a.json(), json);
      System.out.println(json);
    } finally {
      spark.stop();
    }
  }

  static Map<String, Object> run(SparkSession spark, BenchArgs a) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("series", a.series());
    out.put("master", a.master());
    out.put("cores", spark.sparkContext().defaultParallelism());
    out.put("model", a.model());
    Path file = Files.createTempFile("timestep-bench-", ".tsm");
    try {
      trainOne(a.model(), file);
      TimestepForecaster f = TimestepForecaster.fromFile(file).setBatchSize(BATCH);
      int partitions =
          a.partitions() > 0 ? a.partitions() : 2 * spark.sparkContext().defaultParallelism();
      out.put("partitions", partitions);
      Dataset<Row> windows = windows(spark, a.series(), partitions).cache();
      windows.count();
      // Warm-up: every JVM loads the model once; that load is not what a steady job pays per row.
      f.transform(windows(spark, partitions, partitions))
          .write()
          .format("noop")
          .mode("overwrite")
          .save();

      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      f.transform(windows).write().format("noop").mode("overwrite").save();
      double sparkSeconds = (System.nanoTime() - t0) / 1e9;
      out.put("scoring_seconds", sparkSeconds);
      // how many cores the whole process kept busy while scoring (Spark's own threads included)
      out.put("scoring_busy_cores", (processCpuNanos() - cpu0) / 1e9 / sparkSeconds);
      out.put("series_per_second", a.series() / sparkSeconds);
      // the tasks set this JVM's kernels to spark.task.cpus threads; the one-process run below
      // uses the same count, so the comparison is thread for thread
      out.put("kernel_threads", CpuBackend.threads());

      // Spark's own cost per partition: one window per partition.
      long t1 = System.nanoTime();
      f.transform(windows(spark, partitions, partitions))
          .write()
          .format("noop")
          .mode("overwrite")
          .save();
      out.put("overhead_seconds_per_partition", (System.nanoTime() - t1) / 1e9 / partitions);

      float[][] all = new float[a.series()][];
      for (int i = 0; i < all.length; i++) {
        all[i] = window(i);
      }
      double[][] local = new double[all.length][];
      try (SeriesModel m = SeriesModel.load(file, Backends.auto())) {
        long t2 = System.nanoTime();
        for (int from = 0; from < all.length; from += BATCH) {
          int n = Math.min(BATCH, all.length - from);
          float[][] batch = new float[n][];
          System.arraycopy(all, from, batch, 0, n);
          double[][] mean = WindowScorer.score(m, batch, HORIZON, 0).mean();
          System.arraycopy(mean, 0, local, from, n);
        }
        double localSeconds = (System.nanoTime() - t2) / 1e9;
        out.put("local_seconds", localSeconds);
        out.put("local_series_per_second", a.series() / localSeconds);
        out.put(
            "spark_cost_per_series_vs_local_x_cores",
            sparkSeconds * spark.sparkContext().defaultParallelism() / localSeconds);
      }
      double maxDiff = 0;
      for (Row r : f.transform(windows).select("key", "forecast").collectAsList()) {
        List<Double> got = r.getList(1);
        double[] expected = local[(int) r.getLong(0)];
        for (int k = 0; k < expected.length; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(got.get(k) - expected[k]));
        }
      }
      out.put("max_abs_diff_vs_local", maxDiff);

      int sample = Math.min(a.trainSeries(), a.series());
      Dataset<Row> history = history(spark, sample, 48).cache();
      history.count();
      long t3 = System.nanoTime();
      new TimestepPerSeries()
          .setModel(a.model())
          .setWindow(WINDOW)
          .setHorizon(HORIZON)
          .setEpochs(5)
          .setHoldout(HORIZON)
          .setSeason(12)
          .fit(history);
      double trainSeconds = (System.nanoTime() - t3) / 1e9;
      out.put("train_series", sample);
      out.put("train_seconds", trainSeconds);
      out.put("train_series_per_second", sample / trainSeconds);
    } finally {
      Files.deleteIfExists(file);
    }
    return out;
  }

  /** CPU time of every thread of this JVM so far. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The last window of series i (20 months long). */
  static float[] window(long i) {
    float[] s = SyntheticSeries.of(i, 20);
    float[] w = new float[WINDOW];
    System.arraycopy(s, s.length - WINDOW, w, 0, WINDOW);
    return w;
  }

  private static Dataset<Row> windows(SparkSession spark, long n, int partitions) {
    JavaRDD<Row> rows =
        spark
            .range(0, n, 1, partitions)
            .javaRDD()
            .map(
                i -> {
                  float[] w = window(i);
                  double[] d = new double[w.length];
                  for (int k = 0; k < w.length; k++) {
                    d[k] = w[k];
                  }
                  return RowFactory.create(i, d);
                });
    return spark.createDataFrame(rows, WINDOWS);
  }

  private static Dataset<Row> history(SparkSession spark, int series, int months) {
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < series; i++) {
      float[] v = SyntheticSeries.of(i, months);
      for (int t = 0; t < months; t++) {
        rows.add(
            RowFactory.create(
                i, Date.valueOf(LocalDate.of(2000, 1, 1).plusMonths(t)), (double) v[t]));
      }
    }
    return spark.createDataFrame(rows, LONG);
  }

  /** The scored model: the chapter model trained on synthetic series 0 (60 months). */
  private static void trainOne(String model, Path file) throws IOException {
    float[] v = SyntheticSeries.of(0, 60);
    LocalDateTime[] times = new LocalDateTime[v.length];
    for (int t = 0; t < v.length; t++) {
      times[t] = LocalDate.of(2000, 1, 1).plusMonths(t).atStartOfDay();
    }
    TrainingSettings s =
        TrainingSettings.of(ChapterModels.named(model), WINDOW, HORIZON, Backends.auto())
            .withEpochs(5);
    try (SeriesModel m =
        PerSeries.trainOne(
                "0",
                LongFormat.series("0", TimeFormat.DATE, times, List.of("value"), new float[][] {v}),
                "value",
                s,
                GapFill.LINEAR,
                0,
                12,
                "bench",
                null)
            .model()) {
      m.save(file);
    }
  }

  static String toJson(Map<String, Object> values) {
    StringBuilder b = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      String text =
          v instanceof String s
              ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
              : v instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(v);
      b.append("  \"").append(e.getKey()).append("\": ").append(text);
      b.append(++i < values.size() ? ",\n" : "\n");
    }
    return b.append("}\n").toString();
  }
}
