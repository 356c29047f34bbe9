package dev.timestep.pipeline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Expanding-window folds whose origins end at the end of the series, and that never leak. */
class RollingOriginTest {

  @Test
  void originsEndAtTheEndOfTheSeries() {
    List<Fold> folds = RollingOrigin.expanding(3, 4).split(20);
    assertEquals(List.of(14, 15, 16, 17), folds.stream().map(Fold::origin).toList());
    Fold last = folds.get(3);
    assertEquals(3, last.index());
    assertEquals(20, last.testEnd());
    List<Fold> stepped = RollingOrigin.expanding(3, 4).withStep(2).split(20);
    assertEquals(List.of(11, 13, 15, 17), stepped.stream().map(Fold::origin).toList());
  }

  @Test
  void eachFoldGivesTrainBeforeAndTestFromItsOrigin() {
    double[] y = rowNumbers(20);
    for (Fold f : RollingOrigin.expanding(3, 4).withStep(2).split(20)) {
      assertArrayEquals(Arrays.copyOfRange(y, 0, f.origin()), f.train(y));
      assertArrayEquals(Arrays.copyOfRange(y, f.origin(), f.origin() + 3), f.test(y));
    }
  }

  @Test
  void aTooShortSeriesIsRefusedNamingTheRowsNeeded() {
    RollingOrigin r = RollingOrigin.expanding(3, 4).withStep(2).withMinTrain(12);
    // 12 training rows, then 3 more origins 2 apart, then 3 test rows.
    assertEquals(21, r.rowsNeeded());
    assertEquals(12, r.split(21).get(0).origin());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.split(20));
    assertTrue(
        e.getMessage().contains("at least 21 rows") && e.getMessage().contains("got 20"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RollingOrigin.expanding(0, 4));
    assertThrows(IllegalArgumentException.class, () -> RollingOrigin.expanding(3, 4).withStep(0));
    assertThrows(
        IllegalArgumentException.class, () -> RollingOrigin.expanding(3, 4).withMinTrain(0));
  }

  @Test
  void noFoldEverShowsARowAtOrAfterItsOrigin() {
    double[] y = rowNumbers(200);
    for (Fold f : RollingOrigin.expanding(7, 40).withStep(3).split(200)) {
      double[] train = f.train(y);
      assertEquals(f.origin(), train.length);
      assertTrue(Arrays.stream(train).allMatch(v -> v < f.origin()), "fold " + f.index());
    }
    TimeSeries series = daily(rowNumbers(50));
    Fold f = RollingOrigin.expanding(5, 3).split(50).get(1);
    TimeSeries train = f.train(series);
    assertEquals(f.origin(), train.length());
    assertTrue(train.time(train.length() - 1).isBefore(series.time(f.origin())));
  }

  @Test
  void aModelThatPeeksWouldScorePerfectlyButAFoldGivesItNothingToPeekAt() {
    // Flat at 0 until row 60, then a new regime at 100 + row: nothing before the cut foretells it.
    double[] y = new double[70];
    for (int t = 60; t < y.length; t++) {
      y[t] = 100 + t;
    }
    Fold fold = RollingOrigin.expanding(10, 1).split(y.length).get(0);
    assertEquals(60, fold.origin());
    // Reads the rows it forecasts when it is handed them, else repeats the last value.
    BiFunction<double[], Integer, double[]> peeker =
        (train, origin) -> {
          double[] out = new double[10];
          for (int k = 0; k < 10; k++) {
            out[k] = origin + k < train.length ? train[origin + k] : train[train.length - 1];
          }
          return out;
        };
    double[] truth = fold.test(y);
    double leakedRmse = ForecastScores.of(truth, peeker.apply(y, 60), 1).overallRmse();
    assertEquals(0, leakedRmse, 0, "handed the whole series, the peeker is perfect");
    double foldRmse = ForecastScores.of(truth, peeker.apply(fold.train(y), 60), 1).overallRmse();
    assertTrue(foldRmse > 100, "handed the fold's rows only, it cannot be: " + foldRmse);
  }

  private static double[] rowNumbers(int n) {
    double[] y = new double[n];
    Arrays.setAll(y, t -> t);
    return y;
  }

  private static TimeSeries daily(double[] values) {
    List<LocalDateTime> times = new ArrayList<>();
    float[] v = new float[values.length];
    for (int t = 0; t < values.length; t++) {
      times.add(LocalDate.of(2020, 1, 1).plusDays(t).atStartOfDay());
      v[t] = (float) values[t];
    }
    return TimeSeries.of("daily", TimeFormat.DATE, times, List.of("v"), new float[][] {v});
  }
}
