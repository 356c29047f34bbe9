package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.AutoDefaults;
import dev.timestep.pipeline.AutoSettings;
import dev.timestep.pipeline.AutoTrainer;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesEnsemble;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimestepPerSeriesTest {
  static final StructType LONG =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("store", DataTypes.StringType, false),
              DataTypes.createStructField("date", DataTypes.DateType, false),
              DataTypes.createStructField("value", DataTypes.DoubleType, true)));

  static Map<String, float[]> series() {
    Map<String, float[]> s = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      s.put("s" + i, Fixtures.seasonal(48 + 5 * i, 30 + 7 * i, i + 3));
    }
    s.put("short", Fixtures.seasonal(20, 10, 2));
    return s;
  }

  static Dataset<Row> frame(SparkSession spark, Map<String, float[]> series) {
    List<Row> rows = new ArrayList<>();
    series.forEach(
        (id, v) -> {
          for (int t = 0; t < v.length; t++) {
            rows.add(RowFactory.create(id, Date.valueOf(Fixtures.month(t)), (double) v[t]));
          }
        });
    Collections.shuffle(rows, new Random(3));
    return spark.createDataFrame(rows, LONG).repartition(2);
  }

  static TimestepPerSeries estimator() {
    return new TimestepPerSeries()
        .setIdCol("store")
        .setTimeCol("date")
        .setValueCol("value")
        .setModel("linear")
        .setWindow(12)
        .setHorizon(2)
        .setEpochs(3)
        .setLearningRate(0.01)
        .setMembers(2)
        // four folds: the fewest residuals per step that calibrate an 80% interval
        .setFolds(4)
        .setHoldout(2)
        .setSeason(12);
  }

  /** {@link #estimator}'s settings, written out as the workflow takes them. */
  static AutoSettings settings() {
    return new AutoSettings(
        List.of("linear"),
        AutoSettings.AUTO_TRANSFORMS,
        12,
        2,
        3,
        32,
        0.01,
        "standard",
        null,
        0,
        2,
        4,
        12,
        AutoDefaults.PATIENCE,
        Backends.auto(),
        GapFill.LINEAR,
        false);
  }

  @Test
  void eachSeriesEqualsTheWorkflowRunOnItAloneAndAShortOneIsReported() {
    Map<String, float[]> series = series();
    TimestepPerSeriesModel fitted =
        estimator().setKeepModels(true).fit(frame(LocalSpark.get(), series));
    List<Row> rows = fitted.results().collectAsList();
    assertEquals(6, rows.size());
    for (Row r : rows) {
      String id = r.getString(0);
      assertEquals(series.get(id).length, r.getInt(r.fieldIndex("rows")));
      TimeSeries one = Fixtures.series(id, series.get(id));
      if (id.equals("short")) {
        IllegalArgumentException alone =
            assertThrows(
                IllegalArgumentException.class,
                () -> AutoTrainer.run(one, "value", "spark [short]", "date", settings(), 2, null));
        assertEquals(alone.getMessage(), r.getString(r.fieldIndex("error")));
        assertNull(r.get(r.fieldIndex("forecast")));
        assertNull(r.get(r.fieldIndex("chosen")));
        assertNull(r.get(r.fieldIndex("model")));
        continue;
      }
      assertNull(r.get(r.fieldIndex("error")), id);
      AutoTrainer.Result alone =
          AutoTrainer.run(one, "value", "spark [" + id + "]", "date", settings(), 2, null);
      try (SeriesEnsemble e = alone.ensemble()) {
        // the workflow's forecast: from the end of the kept rows, gaps filled
        SeriesEnsemble.Forecast f = e.forecast(one.slice(0, one.length() - 2), 2);
        assertArrayEquals(f.point(), doubles(r, "forecast"), 0, id);
        assertEquals(1, f.intervals().size(), id); // 80% only: 95% needs more folds
        assertArrayEquals(f.intervals().get(0).lower(), doubles(r, "lower_80"), 0, id);
        assertArrayEquals(f.intervals().get(0).upper(), doubles(r, "upper_80"), 0, id);
        assertEquals(alone.holdout().model().overallMase(), r.getDouble(r.fieldIndex("mase")), 0);
        assertEquals(alone.chosen().label(), r.getString(r.fieldIndex("chosen")));
        List<Integer> epochs = r.getList(r.fieldIndex("epochs"));
        assertArrayEquals(
            alone.memberEpochs(), epochs.stream().mapToInt(Integer::intValue).toArray());
        // the kept file is that series' ensemble: two members, the same forecast
        try (SeriesEnsemble kept =
            ExecutorModels.fromBytes((byte[]) r.get(r.fieldIndex("model")))) {
          assertEquals(2, kept.members().size());
          assertEquals("spark [" + id + "]", kept.info().input());
          assertArrayEquals(
              f.point(), kept.forecast(one.slice(0, one.length() - 2), 2).point(), 0, id);
        }
      }
    }
    List<Row> some =
        fitted.transform(frame(LocalSpark.get(), Map.of("s1", series.get("s1")))).collectAsList();
    assertEquals(1, some.size());
    assertEquals("s1", some.get(0).getString(0));
  }

  /** Rows sorted by id, for comparing results whose partitions differ. */
  static List<Row> byId(Dataset<Row> results) {
    return results.orderBy(results.columns()[0]).collectAsList();
  }

  @Test
  void aFittedModelSavesAndLoadsAloneAndInAPipelineWithItsModelFiles(@TempDir Path dir)
      throws Exception {
    Map<String, float[]> series = new LinkedHashMap<>();
    series.put("s0", series().get("s0"));
    series.put("short", series().get("short"));
    TimestepPerSeries estimator = estimator().setMembers(1).setKeepModels(true);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator});
    PipelineModel fitted = pipeline.fit(frame(LocalSpark.get(), series));
    TimestepPerSeriesModel model = (TimestepPerSeriesModel) fitted.stages()[0];
    List<Row> before = byId(model.results());
    assertEquals(2, before.size());
    assertTrue(before.get(0).get(before.get(0).fieldIndex("model")) instanceof byte[]);

    String alone = dir.resolve("alone").toString();
    model.write().overwrite().save(alone);
    TimestepPerSeriesModel loaded = TimestepPerSeriesModel.load(alone);
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.results().schema(), loaded.results().schema());
    // Row equality compares binary columns (the ensemble files) by content
    assertEquals(before, byId(loaded.results()));
    List<Row> some =
        loaded.transform(frame(LocalSpark.get(), Map.of("s0", series.get("s0")))).collectAsList();
    assertEquals(List.of(before.get(0)), some);

    String saved = dir.resolve("pipeline-model").toString();
    fitted.write().overwrite().save(saved);
    PipelineModel again = PipelineModel.load(saved);
    assertEquals(
        before, byId(((TimestepPerSeriesModel) again.stages()[0]).results()), "pipeline model");

    String unfitted = dir.resolve("pipeline").toString();
    pipeline.write().overwrite().save(unfitted);
    TimestepPerSeries read = (TimestepPerSeries) Pipeline.load(unfitted).getStages()[0];
    assertEquals(estimator.uid(), read.uid());
    assertEquals(estimator.spec().settings(Backends.auto()), read.spec().settings(Backends.auto()));
    assertEquals(true, read.getOrDefault(read.keepModels()));
    assertEquals("store", read.getOrDefault(read.idCol()));
  }

  @Test
  void aFailedTrainingTaskRetriedGivesTheSameResults() {
    Map<String, float[]> series = new LinkedHashMap<>();
    for (String id : List.of("s0", "s1", "short")) {
      series.put(id, series().get(id));
    }
    TimestepPerSeries estimator = estimator().setMembers(1).setKeepModels(true);
    List<Row> clean = byId(estimator.fit(frame(LocalSpark.get(), series)).results());
    List<String> attempts = new CopyOnWriteArrayList<>();
    TaskFaults.setAfterWork(
        t -> {
          attempts.add(t.partitionId() + "/" + t.attemptNumber());
          // every partition's first attempt fails after training, so each series is trained again
          if (t.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of the first attempt");
          }
        });
    List<Row> retried;
    try {
      retried = byId(estimator.fit(frame(LocalSpark.get(), series)).results());
    } finally {
      TaskFaults.setAfterWork(null);
    }
    // (adaptive execution may have put every group in one partition)
    assertTrue(attempts.containsAll(List.of("0/0", "0/1")), attempts.toString());
    assertEquals(3, retried.size());
    // forecasts, intervals, MASE, epochs and the ensemble files, bit for bit
    assertEquals(clean, retried);
  }

  @Test
  void itsDefaultsAreTheWorkflowsDefaults() {
    Backend b = Backends.auto();
    assertEquals(AutoSettings.defaults(1, b), new TimestepPerSeries().spec().settings(b));
    // naming models backtests them all, as the workflow's withModels does
    assertEquals(
        AutoSettings.defaults(1, b).withModels(List.of("linear", "gru")),
        new TimestepPerSeries().setModels("linear", "gru").spec().settings(b));
  }

  private static double[] doubles(Row r, String column) {
    List<Double> v = r.getList(r.fieldIndex(column));
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void inputsItCannotTrainOnAreRefusedByName() {
    StructType textTime =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("store", DataTypes.StringType, false),
                DataTypes.createStructField("date", DataTypes.StringType, false),
                DataTypes.createStructField("value", DataTypes.DoubleType, true)));
    Dataset<Row> in =
        LocalSpark.get().createDataFrame(List.of(RowFactory.create("a", "2000-01", 1.0)), textTime);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> estimator().fit(in));
    assertEquals(
        "per-series training: time column 'date' must be a date or a timestamp, but is string",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> estimator().setIdCol("sku").fit(in));
    assertTrue(e.getMessage().contains("the id column 'sku' is not in the input"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> estimator().setModel("transformer"));
    assertThrows(IllegalArgumentException.class, () -> estimator().setWindow(-1));
    e = assertThrows(IllegalArgumentException.class, () -> estimator().setMembers(0));
    assertEquals("per-series training: members must be at least 1, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> estimator().setTransforms("sqrt"));
    assertTrue(e.getMessage().contains("unknown transform 'sqrt'"), e.getMessage());
  }
}
