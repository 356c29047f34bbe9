package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.panel.PerSeries;
import dev.timestep.pipeline.panel.PerSeriesModels;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

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
        .setHoldout(2)
        .setSeason(12);
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
      if (id.equals("short")) {
        assertNull(r.get(r.fieldIndex("forecast")));
        assertNull(r.get(r.fieldIndex("model")));
        assertEquals(
            "window 12 + horizon 2 needs 28 rows to refit (one window's span to choose the epochs"
                + " on, one to train before it), but short has 18 rows besides the 2 held out; use"
                + " a shorter window or horizon",
            r.getString(r.fieldIndex("error")));
        continue;
      }
      assertNull(r.get(r.fieldIndex("error")), id);
      SeriesRefit.Result alone =
          PerSeries.trainOne(
              id,
              Fixtures.series(id, series.get(id)),
              "value",
              Fixtures.linear(3),
              GapFill.LINEAR,
              2,
              12,
              "spark",
              "date");
      try (PerSeriesModels m =
          new PerSeriesModels(Map.of(id, alone.model()), Map.of(id, alone.holdout()), List.of())) {
        List<Double> got = r.getList(r.fieldIndex("forecast"));
        double[] expected = m.forecast(id, 2, 0).mean();
        assertArrayEquals(expected, got.stream().mapToDouble(Double::doubleValue).toArray(), 0, id);
        assertEquals(
            alone.holdout().model().overallMase(), r.getDouble(r.fieldIndex("mase")), 0, id);
        assertEquals(alone.epochs(), r.getInt(r.fieldIndex("epochs")));
        // the kept model file is that series' model
        try (SeriesModel kept = ExecutorModels.fromBytes((byte[]) r.get(r.fieldIndex("model")))) {
          assertEquals("spark [" + id + "]", kept.info().input());
        }
      }
    }
    List<Row> some =
        fitted.transform(frame(LocalSpark.get(), Map.of("s1", series.get("s1")))).collectAsList();
    assertEquals(1, some.size());
    assertEquals("s1", some.get(0).getString(0));
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
    assertThrows(IllegalArgumentException.class, () -> estimator().setWindow(0));
  }
}
