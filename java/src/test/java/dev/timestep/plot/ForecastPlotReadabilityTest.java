package dev.timestep.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

/**
 * What a reader of a forecast plot needs: the interval as one shaded band, dates on the time axis
 * written as the series writes them, and the value axis naming the column and its unit.
 */
class ForecastPlotReadabilityTest {
  private static final Function<LocalDateTime, String> QUARTER =
      t -> t.getYear() + " Q" + ((t.getMonthValue() - 1) / 3 + 1);

  private static List<LocalDateTime> quarters(int from, int n) {
    List<LocalDateTime> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(LocalDate.of(1980, 1, 1).plusMonths(3L * i).atStartOfDay());
    }
    return out;
  }

  private static double[] values(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 100 + 5 * Math.sin(i / 2.0) + 0.3 * i;
    }
    return v;
  }

  private static ForecastPlot quarterly() {
    return ForecastPlot.of(quarters(0, 40), values(40))
        .forecast(quarters(40, 8), new double[] {112, 113, 114, 115, 116, 117, 118, 119})
        .uncertainty(new double[] {1, 1, 1.5, 1.5, 2, 2, 2.5, 2.5}, 2, "backtest RMSE")
        .timeLabels(QUARTER)
        .xLabel("quarter")
        .yLabel("sales")
        .units("EUR m");
  }

  private static long millis(LocalDateTime t) {
    return t.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  @Test
  void aHalfWidthOfOneIsLegendedByTheIntervalsOwnName() {
    XYPlot named =
        (XYPlot)
            quarterly()
                .interval(new double[] {1, 1, 1.5, 1.5, 2, 2, 2.5, 2.5}, "80% interval")
                .chart()
                .getPlot();
    assertEquals("80% interval", ((IntervalXYDataset) named.getDataset(1)).getSeriesKey(0));
    XYPlot spread = (XYPlot) quarterly().chart().getPlot();
    assertEquals(
        "forecast ± 2 backtest RMSE", ((IntervalXYDataset) spread.getDataset(1)).getSeriesKey(0));
  }

  @Test
  void theIntervalIsOneShadedBandByDefault() {
    XYPlot plot = (XYPlot) quarterly().chart().getPlot();
    assertInstanceOf(DeviationRenderer.class, plot.getRenderer(1));
    IntervalXYDataset band = (IntervalXYDataset) plot.getDataset(1);
    assertEquals(1, band.getSeriesCount(), "one band, not one series per step");
    assertEquals(8, band.getItemCount(0));
    assertEquals(millis(quarters(40, 1).get(0)), band.getXValue(0, 0), 0);
    assertEquals(112 - 2 * 1, band.getStartYValue(0, 0), 1e-12);
    assertEquals(119 + 2 * 2.5, band.getEndYValue(0, 7), 1e-12);
    XYPlot bars = (XYPlot) quarterly().band(false).chart().getPlot();
    assertInstanceOf(XYErrorRenderer.class, bars.getRenderer(1));
  }

  @Test
  void theValueAxisNamesTheColumnAndItsUnit() {
    XYPlot plot = (XYPlot) quarterly().chart().getPlot();
    assertEquals("sales (EUR m)", plot.getRangeAxis().getLabel());
    assertEquals("quarter", plot.getDomainAxis().getLabel());
    XYPlot noUnit = (XYPlot) quarterly().units(null).chart().getPlot();
    assertEquals("sales", noUnit.getRangeAxis().getLabel());
  }

  @Test
  void timeTicksReadAsTheSeriesWritesItsTimes() {
    DateAxis axis =
        assertInstanceOf(DateAxis.class, ((XYPlot) quarterly().chart().getPlot()).getDomainAxis());
    Date april = Date.from(LocalDate.of(1985, 4, 1).atStartOfDay().toInstant(ZoneOffset.UTC));
    assertEquals("1985 Q2", axis.getDateFormatOverride().format(april));
    // by default, ISO dates, with the time of day when there is one
    TimeTickFormat iso =
        (TimeTickFormat)
            ((DateAxis)
                    ((XYPlot) ForecastPlot.of(quarters(0, 3), values(3)).chart().getPlot())
                        .getDomainAxis())
                .getDateFormatOverride();
    assertEquals("2002-01-05", iso.text(millis(LocalDateTime.of(2002, 1, 5, 0, 0))));
    assertEquals("2002-01-05 10:30", iso.text(millis(LocalDateTime.of(2002, 1, 5, 10, 30))));
  }

  @Test
  void ticksAreNeverCloserThanTheSeriesStep() {
    double day = 86_400_000.0;
    assertEquals(
        new DateTickUnit(DateTickUnitType.MONTH, 3),
        TimeAxis.units(91 * day).getCeilingTickUnit(0));
    assertEquals(
        new DateTickUnit(DateTickUnitType.MONTH, 1),
        TimeAxis.units(28 * day).getCeilingTickUnit(0));
    assertEquals(
        new DateTickUnit(DateTickUnitType.DAY, 7), TimeAxis.units(7 * day).getCeilingTickUnit(0));
    assertEquals(
        new DateTickUnit(DateTickUnitType.DAY, 1), TimeAxis.units(day).getCeilingTickUnit(0));

    // drawn: each quarter labelled at most once, every label a quarter
    JFreeChart chart = quarterly().chart();
    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage image = chart.createBufferedImage(1000, 600, info);
    Graphics2D g2 = image.createGraphics();
    Rectangle2D area = info.getPlotInfo().getDataArea();
    List<String> labels = new ArrayList<>();
    for (Object o :
        ((XYPlot) chart.getPlot())
            .getDomainAxis()
            .refreshTicks(g2, new AxisState(), area, RectangleEdge.BOTTOM)) {
      if (((ValueTick) o).getTickType() == TickType.MAJOR) {
        labels.add(((Tick) o).getText());
      }
    }
    g2.dispose();
    assertTrue(labels.size() >= 3, labels.toString());
    assertEquals(
        labels.size(), new HashSet<>(labels).size(), "a quarter labelled twice: " + labels);
    assertTrue(labels.stream().allMatch(l -> l.matches("\\d{4} Q[1-4]")), labels.toString());
  }

  @Test
  void timesAndNumbersAreNotMixed() {
    assertThrows(
        IllegalStateException.class,
        () ->
            ForecastPlot.of(quarters(0, 4), values(4))
                .forecast(new double[] {1e12}, new double[] {1}));
    assertThrows(IllegalStateException.class, () -> ForecastPlot.of(values(4)).timeLabels(QUARTER));
    assertThrows(
        IllegalStateException.class,
        () -> ForecastPlot.of(values(4)).forecast(quarters(4, 1), new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> ForecastPlot.of(values(4)).units(" "));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ForecastPlot.of(
                List.of(LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.of(1999, 1, 1, 0, 0)),
                values(2)));
  }
}
