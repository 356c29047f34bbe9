package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.Difference;
import dev.timestep.data.series.transform.TransformChain;
import dev.timestep.testing.TestSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A series streamed row by row gives, after every row, exactly the ensemble's batch forecast over
 * the series up to that row: scaler, relative windows, transforms (Box-Cox; a difference, which
 * reads rows before the window) and the members' median included.
 */
class SeriesStreamTest {
  private static final int STEPS = 4;

  private static void assertStreamEqualsBatch(SeriesEnsemble e, TimeSeries s) {
    SeriesStream stream = SeriesStream.of(e, STEPS);
    float[] y = s.column(0);
    int forecasts = 0;
    for (int t = 1; t <= y.length; t++) {
      double[] streamed = stream.push(y[t - 1]);
      if (t < stream.rowsNeeded()) {
        assertEquals(0, streamed.length, "no forecast before " + stream.rowsNeeded() + " rows");
        continue;
      }
      assertArrayEquals(e.forecast(s.slice(0, t), STEPS).point(), streamed, 0.0, "row " + t);
      forecasts++;
    }
    assertTrue(forecasts > 10);
    assertEquals(y.length, stream.seen());
  }

  @Test
  void aBoxCoxEnsembleOfRelativeLinearModelsStreamsItsBatchForecasts() {
    TimeSeries s = TestSeries.multiplicativeMonthly(60, 7);
    AutoSettings a =
        AutoSettings.defaults(2, Backends.named("cpu"))
            .withModels(List.of("linear"))
            .withTransforms(List.of(TransformChoice.BOXCOX))
            .withMembers(3)
            .withFolds(2)
            .withWindowAndEpochs(12, 5);
    try (SeriesEnsemble e = AutoTrainer.run(s, "y", "test", null, a, 0, null).ensemble()) {
      assertEquals(12, SeriesStream.of(e, 1).rowsNeeded());
      assertStreamEqualsBatch(e, s);
      // the same members behind a difference of lag 12 after Box-Cox: 12 more rows are read
      SeriesEnsemble differenced =
          new SeriesEnsemble(
              new java.util.ArrayList<>(e.members()), // contains(null) throws on List.copyOf
              TransformChain.of(Difference.lag(12)).fit(toDoubles(s.column(0))),
              null,
              null,
              "",
              2);
      assertEquals(24, SeriesStream.of(differenced, 1).rowsNeeded());
      assertStreamEqualsBatch(differenced, s);
    }
  }

  @Test
  void aGruModelStreamsItsBatchForecastsPastItsHorizon() {
    TimeSeries s = TestSeries.multiplicativeMonthly(48, 3);
    AutoSettings a =
        AutoSettings.defaults(2, Backends.named("cpu"))
            .withModels(List.of("gru"))
            .withTransforms(List.of(TransformChoice.NONE))
            .withMembers(1)
            .withFolds(2)
            .withWindowAndEpochs(8, 2);
    try (SeriesEnsemble e = AutoTrainer.run(s, "y", "test", null, a, 0, null).ensemble()) {
      assertStreamEqualsBatch(e, s);
    }
  }

  @Test
  void badRowsAreRefusedNamingTheColumn() {
    TimeSeries s = TestSeries.multiplicativeMonthly(48, 3);
    AutoSettings a =
        AutoSettings.defaults(2, Backends.named("cpu"))
            .withModels(List.of("linear"))
            .withTransforms(List.of(TransformChoice.NONE))
            .withMembers(1)
            .withFolds(2)
            .withWindowAndEpochs(8, 2);
    try (SeriesEnsemble e = AutoTrainer.run(s, "y", "test", null, a, 0, null).ensemble()) {
      SeriesStream stream = SeriesStream.of(e, 2);
      IllegalArgumentException nan =
          assertThrows(IllegalArgumentException.class, () -> stream.push(Float.NaN));
      assertTrue(nan.getMessage().contains("'y' is NaN"), nan.getMessage());
      assertThrows(IllegalArgumentException.class, () -> stream.push(1f, 2f));
      assertThrows(IllegalArgumentException.class, () -> SeriesStream.of(e, 0));
      assertEquals(0, stream.seen());
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
