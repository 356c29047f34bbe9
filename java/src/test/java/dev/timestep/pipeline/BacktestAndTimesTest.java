package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.RealSeries;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.testing.TestSeries;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Error bars from backtesting, and the times a forecast is printed at. */
class BacktestAndTimesTest {

  @Test
  void backtestErrorsGrowWithTheLeadTimeAndSkipGaps() {
    TimeSeries series = TestSeries.weekly(TestSeries.values(400, 26, 0.5, 5, 395));
    TrainingSettings s =
        new TrainingSettings(
            ChapterModels.named("linear"),
            10,
            1,
            10,
            32,
            0.01,
            "standard",
            true,
            0.0,
            0,
            Backends.named("cpu"),
            null);
    try (SeriesModel m = SeriesTrainer.train(series, "value", List.of(), "t", null, s).model()) {
      Backtest b = Backtest.run(m, series, 8, 50);
      assertEquals(50, b.origins());
      // Forecasts whose window or 8 following rows hold row 395 are left out: the latest usable
      // origin is 387.
      assertEquals(387, b.lastOrigin());
      assertEquals(338, b.firstOrigin());
      double[] rmse = b.rmse();
      assertTrue(
          rmse[7] > rmse[0],
          "eight steps ahead is harder than one: " + java.util.Arrays.toString(rmse));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> Backtest.run(m, series.slice(0, 15), 8, 50));
      assertTrue(e.getMessage().contains("no stretch of 18 observed rows"), e.getMessage());
    }
  }

  @Test
  void futureTimesFollowTheCalendar() {
    assertEquals(
        LocalDate.of(2002, 1, 5).atStartOfDay(),
        FutureTimes.after(RealSeries.maunaLoaCo2(), 1).get(0));
    List<LocalDateTime> years = FutureTimes.after(RealSeries.sunspots(), 2);
    assertEquals(LocalDate.of(2009, 1, 1).atStartOfDay(), years.get(0));
    assertEquals(LocalDate.of(2010, 1, 1).atStartOfDay(), years.get(1));
  }
}
