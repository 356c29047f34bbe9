package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.SeriesModel;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimestepForecasterTest {
  @TempDir static Path dir;
  static Path modelFile;
  static SparkSession spark;

  static final StructType WINDOWS =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("key", DataTypes.IntegerType, false),
              DataTypes.createStructField(
                  "window", DataTypes.createArrayType(DataTypes.DoubleType), true)));

  static final StructType LONG =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("store", DataTypes.StringType, false),
              DataTypes.createStructField("date", DataTypes.DateType, false),
              DataTypes.createStructField("sales", DataTypes.DoubleType, true)));

  @BeforeAll
  static void setUp() throws Exception {
    modelFile = Fixtures.model(dir.resolve("linear.tsm"));
    spark = LocalSpark.get();
  }

  /** 37 windows of different levels, window i from series seed i. */
  static List<float[]> windows() {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      float[] s = Fixtures.seasonal(20, 50 + 10 * i, i);
      float[] w = new float[12];
      System.arraycopy(s, 20 - 12, w, 0, 12);
      out.add(w);
    }
    return out;
  }

  static Dataset<Row> windowFrame(List<float[]> windows, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      List<Double> w = new ArrayList<>();
      for (float v : windows.get(i)) {
        w.add((double) v);
      }
      rows.add(RowFactory.create(i, w));
    }
    return spark.createDataFrame(rows, WINDOWS).repartition(partitions);
  }

  /** The same window forecast by the model in this process, alone. */
  static double[] local(SeriesModel m, float[] window, int steps) {
    TimeSeries s = Fixtures.series("w", window);
    return m.forecast(s, new int[] {window.length}, steps, 0).mean(0);
  }

  static Map<Integer, double[]> byKey(List<Row> rows, String column) {
    Map<Integer, double[]> out = new HashMap<>();
    for (Row r : rows) {
      List<Double> f = r.getList(r.fieldIndex(column));
      out.put(r.getInt(0), f.stream().mapToDouble(Double::doubleValue).toArray());
    }
    return out;
  }

  @Test
  void scoringWindowsEqualsThisProcessForecastBitForBit() throws Exception {
    List<float[]> windows = windows();
    TimestepForecaster f = TimestepForecaster.fromFile(modelFile).setBatchSize(5).setSteps(5);
    List<Row> out = f.transform(windowFrame(windows, 3)).collectAsList();
    assertEquals(37, out.size());
    Map<Integer, double[]> got = byKey(out, "forecast");
    try (SeriesModel m = SeriesModel.load(modelFile, Backends.named("cpu"))) {
      for (int i = 0; i < windows.size(); i++) {
        // 5 steps: past the horizon of 2, forecasts are fed back as inputs
        assertArrayEquals(local(m, windows.get(i), 5), got.get(i), 0, "window " + i);
      }
    }
    for (Row r : out) {
      assertNull(r.get(r.fieldIndex("error")));
    }
  }

  @Test
  void batchCompositionDoesNotChangeTheBits() throws Exception {
    List<float[]> windows = windows();
    TimestepForecaster f = TimestepForecaster.fromFile(modelFile);
    Map<Integer, double[]> ones =
        byKey(f.setBatchSize(1).transform(windowFrame(windows, 1)).collectAsList(), "forecast");
    Map<Integer, double[]> all =
        byKey(f.setBatchSize(256).transform(windowFrame(windows, 1)).collectAsList(), "forecast");
    for (int i = 0; i < windows.size(); i++) {
      assertArrayEquals(ones.get(i), all.get(i), 0, "window " + i);
    }
  }

  @Test
  void badRowsAreReportedInTheErrorColumnNotAFailedJob() throws Exception {
    List<Row> rows = new ArrayList<>();
    List<Double> good = new ArrayList<>();
    for (float v : windows().get(0)) {
      good.add((double) v);
    }
    List<Double> gap = new ArrayList<>(good);
    gap.set(4, Double.NaN);
    rows.add(RowFactory.create(0, good));
    rows.add(RowFactory.create(1, good.subList(0, 11)));
    rows.add(RowFactory.create(2, null));
    rows.add(RowFactory.create(3, gap));
    Dataset<Row> in = spark.createDataFrame(rows, WINDOWS).coalesce(1);
    Map<Integer, Row> out = new HashMap<>();
    for (Row r : TimestepForecaster.fromFile(modelFile).transform(in).collectAsList()) {
      out.put(r.getInt(0), r);
    }
    assertNull(out.get(0).get(3));
    assertEquals(2, out.get(0).getList(2).size());
    assertEquals(
        "11 values; the model reads windows of 12 steps x 1 column(s) = 12", out.get(1).get(3));
    assertNull(out.get(1).get(2));
    assertEquals("no input (null)", out.get(2).get(3));
    assertEquals("missing value at position 4 of the window; fill gaps first", out.get(3).get(3));
  }

  static Dataset<Row> longFrame(Map<String, float[]> series) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, float[]> e : series.entrySet()) {
      for (int t = 0; t < e.getValue().length; t++) {
        rows.add(
            RowFactory.create(
                e.getKey(), Date.valueOf(Fixtures.month(t)), (double) e.getValue()[t]));
      }
    }
    Collections.shuffle(rows, new Random(7)); // rows in any order
    return spark.createDataFrame(rows, LONG).repartition(3);
  }

  @Test
  void longFormatForecastsEachIdFromItsLastWindow() throws Exception {
    Map<String, float[]> series = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      series.put("s" + i, Fixtures.seasonal(14 + 3 * i, 20 + i, i));
    }
    series.put("short", Fixtures.seasonal(7, 20, 1));
    TimestepForecaster f =
        TimestepForecaster.fromFile(modelFile)
            .setFormat("long")
            .setIdCol("store")
            .setTimeCol("date")
            .setValueCol("sales");
    List<Row> out = f.transform(longFrame(series)).collectAsList();
    assertEquals(10, out.size());
    try (SeriesModel m = SeriesModel.load(modelFile, Backends.named("cpu"))) {
      for (Row r : out) {
        String id = r.getString(0);
        if (id.equals("short")) {
          assertEquals("7 rows, fewer than the model's window of 12", r.get(2));
          assertNull(r.get(1));
          continue;
        }
        float[] v = series.get(id);
        double[] expected = m.forecast(Fixtures.series(id, v), new int[] {v.length}, 2, 0).mean(0);
        List<Double> got = r.getList(1);
        assertArrayEquals(expected, got.stream().mapToDouble(Double::doubleValue).toArray(), 0, id);
      }
    }
  }

  @Test
  void worksInAPipelineAndSavesAndLoads() throws Exception {
    List<float[]> windows = windows();
    TimestepForecaster f = TimestepForecaster.fromFile(modelFile).setOutputCol("next");
    PipelineModel fitted =
        new Pipeline().setStages(new PipelineStage[] {f}).fit(windowFrame(windows, 2));
    String path = dir.resolve("pipeline").toUri().toString();
    fitted.write().overwrite().save(path);
    PipelineModel back = PipelineModel.load(path);
    Map<Integer, double[]> before =
        byKey(fitted.transform(windowFrame(windows, 2)).collectAsList(), "next");
    Map<Integer, double[]> after =
        byKey(back.transform(windowFrame(windows, 2)).collectAsList(), "next");
    assertEquals(37, after.size());
    for (int i = 0; i < windows.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), 0);
    }
    String alone = dir.resolve("alone").toUri().toString();
    f.write().overwrite().save(alone);
    TimestepForecaster loaded = TimestepForecaster.load(alone);
    assertEquals(f.uid(), loaded.uid());
    assertEquals("next", loaded.getOrDefault(loaded.outputCol()));
    assertArrayEquals(f.modelBytes(), loaded.modelBytes());
  }

  @Test
  void aFailedTaskRetriedGivesTheSameForecasts() throws Exception {
    List<float[]> windows = windows();
    TimestepForecaster f = TimestepForecaster.fromFile(modelFile);
    Map<Integer, double[]> clean =
        byKey(f.transform(windowFrame(windows, 2)).collectAsList(), "forecast");
    List<Row> retried =
        f.transform(windowFrame(windows, 2))
            .javaRDD()
            .map(
                r -> {
                  TaskContext t = TaskContext.get();
                  if (t.partitionId() == 0 && t.attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure of the first attempt");
                  }
                  return r;
                })
            .collect();
    Map<Integer, double[]> again = byKey(retried, "forecast");
    assertEquals(37, again.size());
    for (int i = 0; i < windows.size(); i++) {
      assertArrayEquals(clean.get(i), again.get(i), 0);
    }
  }

  @Test
  void mcDropoutSamplesGiveASpreadColumnForIntervals() throws Exception {
    Path dropout = Fixtures.model(dir.resolve("dropout.tsm"), Fixtures.linear(3).withDropout(0.2));
    List<Row> out =
        TimestepForecaster.fromFile(dropout)
            .setMcSamples(20)
            .transform(windowFrame(windows().subList(0, 5), 1))
            .collectAsList();
    assertEquals(5, out.size());
    for (Row r : out) {
      assertEquals(
          List.of("key", "window", "forecast", "forecast_std", "error"),
          List.of(r.schema().fieldNames()));
      List<Double> std = r.getList(3);
      assertEquals(2, std.size());
      assertTrue(std.get(0) > 0, "a spread: " + std);
      assertNull(r.get(4));
    }
    // a model without dropout has no spread to give: refused on the driver
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TimestepForecaster.fromFile(modelFile)
                    .setMcSamples(20)
                    .transformSchema(windowFrame(windows(), 1).schema()));
    assertTrue(e.getMessage().contains("need a model trained with dropout"), e.getMessage());
  }

  @Test
  void inputsItCannotReadAreRefusedByName() throws Exception {
    TimestepForecaster f = TimestepForecaster.fromFile(modelFile);
    Dataset<Row> in = windowFrame(windows(), 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> f.setInputCol("w").transform(in));
    assertEquals(
        "timestep forecaster: the window column 'w' is not in the input; its columns are [key,"
            + " window]",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> f.setInputCol("key").transformSchema(in.schema()));
    assertTrue(e.getMessage().contains("must be an array of numbers"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> f.setFormat("wide"));
    assertThrows(IllegalArgumentException.class, () -> f.setBatchSize(0));
    assertThrows(
        IllegalArgumentException.class, () -> TimestepForecaster.fromFile(dir.resolve("none.tsm")));
  }
}
