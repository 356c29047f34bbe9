package dev.timestep.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.PngImages;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A series with its forecast: what is drawn where, gaps for missing values, and bad input. */
class ForecastPlotTest {
  private static final int N = 200;
  private static final int GAP_FROM = 80;
  private static final int GAP_TO = 120; // exclusive

  /** A slow wave around 10, so that a zero anywhere would stretch the axis far below it. */
  private static double[] wave() {
    double[] v = new double[N];
    for (int i = 0; i < N; i++) {
      v[i] = 10 + Math.sin(2 * Math.PI * i / 100);
    }
    return v;
  }

  private static double[] withGap(double[] v, int from, int to) {
    double[] g = v.clone();
    for (int i = from; i < to; i++) {
      g[i] = Double.NaN;
    }
    return g;
  }

  private static double[] constant(int n, double value) {
    double[] a = new double[n];
    Arrays.fill(a, value);
    return a;
  }

  private static ForecastPlot withForecast(double[] series) {
    return ForecastPlot.of(series).forecast(constant(20, 10.5)).uncertainty(constant(20, 0.2), 2);
  }

  /**
   * The pixel columns, inside the plot area, of x values [from, to], a few pixels in from each end.
   */
  private static Rectangle columns(ForecastPlot plot, double from, double to) {
    JFreeChart chart = plot.chart();
    ChartRenderingInfo info = new ChartRenderingInfo();
    plot.render(chart, info);
    Rectangle2D area = info.getPlotInfo().getDataArea();
    XYPlot xy = (XYPlot) chart.getPlot();
    int left =
        (int) Math.ceil(xy.getDomainAxis().valueToJava2D(from, area, xy.getDomainAxisEdge())) + 3;
    int right =
        (int) Math.floor(xy.getDomainAxis().valueToJava2D(to, area, xy.getDomainAxisEdge())) - 3;
    return new Rectangle(left, (int) area.getMinY(), right - left, (int) area.getHeight());
  }

  @Test
  void missingValuesAreGapsNotZeros(@TempDir Path dir) throws Exception {
    double[] full = wave();
    double[] gapped = withGap(full, GAP_FROM, GAP_TO);
    withForecast(full).write(dir.resolve("full.png"));
    withForecast(gapped).write(dir.resolve("gapped.png"));
    BufferedImage a = PngImages.read(dir.resolve("full.png"), 1000, 600);
    BufferedImage b = PngImages.read(dir.resolve("gapped.png"), 1000, 600);
    assertTrue(PngImages.differ(a, b), "a gap must change the picture");

    // Over the missing stretch the observed line is absent; over the same stretch without a gap it
    // is there.
    Rectangle gapColumns = columns(withForecast(gapped), GAP_FROM, GAP_TO - 1);
    assertTrue(gapColumns.width > 100, "the gap spans many pixel columns: " + gapColumns);
    assertEquals(
        0, PngImages.count(b, Palette.OBSERVED, gapColumns), "observed colour inside the gap");
    assertTrue(
        PngImages.count(a, Palette.OBSERVED, gapColumns) > gapColumns.width,
        "without the gap the line crosses every column of that stretch");
    // Both sides of the gap are still drawn.
    assertTrue(PngImages.count(b, Palette.OBSERVED, columns(withForecast(gapped), 5, 70)) > 100);
    assertTrue(PngImages.count(b, Palette.OBSERVED, columns(withForecast(gapped), 130, 195)) > 100);

    // NaN must not have become 0: the value axis stays around the data (9..11), far from zero.
    JFreeChart chart = withForecast(gapped).chart();
    withForecast(gapped).render(chart, null);
    double low = ((XYPlot) chart.getPlot()).getRangeAxis().getLowerBound();
    assertTrue(low > 8, "value axis starts at " + low + "; a NaN drawn as 0 would pull it to 0");
  }

  @Test
  void aLoneObservationBetweenGapsIsDrawnAsADot(@TempDir Path dir) throws Exception {
    double[] v = withGap(wave(), 60, 100);
    v[80] = 10.2;
    ForecastPlot plot = ForecastPlot.of(v);
    plot.write(dir.resolve("lone.png"));
    BufferedImage image = PngImages.read(dir.resolve("lone.png"), 1000, 600);
    assertTrue(
        PngImages.count(image, Palette.OBSERVED, columns(plot, 78, 82)) >= 9,
        "the value at index 80 has no neighbour to join, so it needs a dot");
    assertEquals(0, PngImages.count(image, Palette.OBSERVED, columns(plot, 63, 77)));
  }

  @Test
  void drawsSeriesForecastErrorBarsAndTruth(@TempDir Path dir) throws Exception {
    double[] years = new double[N];
    for (int i = 0; i < N; i++) {
      years[i] = 1990 + i / 52.0;
    }
    double[] truth = new double[20];
    for (int i = 0; i < 20; i++) {
      truth[i] = 10 + Math.sin(2 * Math.PI * (N + i) / 100);
    }
    Path png = dir.resolve("nested/folder/co2.png");
    ForecastPlot.of(years, wave())
        .forecast(constant(20, 10.5))
        .uncertainty(constant(20, 0.3), 2)
        .actual(truth)
        .title("CO2")
        .xLabel("year")
        .yLabel("ppm")
        .size(800, 500)
        .write(png);
    BufferedImage image = PngImages.read(png, 800, 500);
    assertTrue(PngImages.distinctColours(image) > 20, "a blank or near-blank image");
    assertTrue(PngImages.count(image, Palette.OBSERVED) > 500, "observed line");
    assertTrue(PngImages.count(image, Palette.FORECAST) > 100, "forecast line and error bars");
    assertTrue(PngImages.count(image, Palette.ACTUAL) > 50, "true future values");
  }

  @Test
  void bandAndBarsDrawTheSpreadDifferently(@TempDir Path dir) throws Exception {
    withForecast(wave()).band(false).write(dir.resolve("bars.png"));
    withForecast(wave()).write(dir.resolve("band.png"));
    ForecastPlot.of(wave()).forecast(constant(20, 10.5)).write(dir.resolve("none.png"));
    BufferedImage bars = PngImages.read(dir.resolve("bars.png"), 1000, 600);
    BufferedImage band = PngImages.read(dir.resolve("band.png"), 1000, 600);
    BufferedImage none = PngImages.read(dir.resolve("none.png"), 1000, 600);
    assertTrue(PngImages.differ(bars, band));
    // Error bars add forecast-coloured pixels; the band adds a pale fill instead.
    assertTrue(
        PngImages.count(bars, Palette.FORECAST) > PngImages.count(none, Palette.FORECAST) + 100);
    Color paleForecast = new Color(247, 212, 212); // 20% forecast red over white
    int shaded = PngImages.count(band, paleForecast);
    assertTrue(shaded > 5000, "shaded band: " + shaded + " pale pixels");
    // Without a band, pale red appears only on the antialiased edges of red lines.
    assertTrue(PngImages.count(bars, paleForecast) < shaded / 10);
  }

  @Test
  void theForecastContinuesAtTheSeriesSpacingFromTheLastObservation() {
    double[] t = {2000.0, 2000.5, 2001.0};
    JFreeChart chart =
        ForecastPlot.of(t, new double[] {1, 2, 3}).forecast(new double[] {4, 5}).chart();
    XYDataset lines = ((XYPlot) chart.getPlot()).getDataset(0);
    assertEquals("forecast", lines.getSeriesKey(1));
    // Joined to the last observation, then one step of 0.5 per forecast value.
    double[] xs = {lines.getXValue(1, 0), lines.getXValue(1, 1), lines.getXValue(1, 2)};
    double[] ys = {lines.getYValue(1, 0), lines.getYValue(1, 1), lines.getYValue(1, 2)};
    assertArrayEquals(new double[] {2001.0, 2001.5, 2002.0}, xs, 1e-12);
    assertArrayEquals(new double[] {3, 4, 5}, ys, 1e-12);
  }

  @Test
  void errorBarsSpanMeanPlusMinusKStd() {
    JFreeChart chart =
        ForecastPlot.of(wave())
            .forecast(new double[] {1, 2})
            .uncertainty(new double[] {0.5, 0.25}, 3)
            .chart();
    IntervalXYDataset spread = (IntervalXYDataset) ((XYPlot) chart.getPlot()).getDataset(1);
    assertEquals(-0.5, spread.getStartYValue(0, 0), 1e-12);
    assertEquals(2.5, spread.getEndYValue(0, 0), 1e-12);
    assertEquals(1.25, spread.getStartYValue(0, 1), 1e-12);
    assertEquals(2.75, spread.getEndYValue(0, 1), 1e-12);
    assertEquals("forecast ± 3 std", spread.getSeriesKey(0));
  }

  @Test
  void theLegendNamesTheSpreadThatIsDrawn() {
    JFreeChart chart =
        ForecastPlot.of(wave())
            .forecast(new double[] {1, 2})
            .uncertainty(new double[] {0.5, 0.25}, 2, "backtest RMSE")
            .chart();
    XYPlot plot = (XYPlot) chart.getPlot();
    assertEquals("forecast ± 2 backtest RMSE", plot.getDataset(1).getSeriesKey(0));
    List<String> legend = new ArrayList<>();
    for (int i = 0; i < plot.getLegendItems().getItemCount(); i++) {
      legend.add(plot.getLegendItems().get(i).getLabel());
    }
    assertTrue(legend.contains("forecast ± 2 backtest RMSE"), legend.toString());
    assertTrue(
        message(
                () ->
                    ForecastPlot.of(wave())
                        .forecast(new double[] {1})
                        .uncertainty(new double[] {1}, 2, " "))
            .contains("spread name"));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badInputIsRefusedWithAMessageThatNamesIt() {
    assertTrue(message(() -> ForecastPlot.of(new double[0])).contains("series is empty"));
    assertTrue(message(() -> ForecastPlot.of(null)).contains("series must not be null"));
    String allNaN = message(() -> ForecastPlot.of(new double[] {Double.NaN, Double.NaN}));
    assertTrue(allNaN.contains("all 2 are NaN"), allNaN);
    String lengths = message(() -> ForecastPlot.of(new double[] {0, 1, 2}, new double[] {1, 2}));
    assertTrue(lengths.contains("series has 2 values but time has 3"), lengths);
    String order = message(() -> ForecastPlot.of(new double[] {0, 2, 1}, new double[] {1, 2, 3}));
    assertTrue(
        order.contains("time must increase strictly") && order.contains("time[2] = 1.0"), order);
    String inf = message(() -> ForecastPlot.of(new double[] {1, Double.POSITIVE_INFINITY}));
    assertTrue(inf.contains("series[1] is Infinity"), inf);
    String early =
        message(() -> ForecastPlot.of(wave()).forecast(new double[] {199}, new double[] {1}));
    assertTrue(early.contains("must start after the series ends"), early);
    String nanForecast =
        message(() -> ForecastPlot.of(wave()).forecast(new double[] {1, Double.NaN}));
    assertTrue(nanForecast.contains("forecast[1] is NaN"), nanForecast);
    String negative = message(() -> ForecastPlot.of(wave()).uncertainty(new double[] {0.1, -1}, 2));
    assertTrue(negative.contains("forecast std[1] is -1.0"), negative);
    String k = message(() -> ForecastPlot.of(wave()).uncertainty(new double[] {0.1}, 0));
    assertTrue(k.contains("k (how many std"), k);
  }

  @Test
  void mismatchedForecastPartsAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
    Path png = dir.resolve("never.png");
    String std =
        message(
            () ->
                write(
                    ForecastPlot.of(wave()).forecast(constant(3, 1)).uncertainty(constant(2, 1), 2),
                    png));
    assertTrue(std.contains("forecast std has 2 values but forecast has 3"), std);
    String truth =
        message(
            () ->
                write(
                    ForecastPlot.of(wave()).forecast(constant(3, 1)).actual(constant(4, 1)), png));
    assertTrue(truth.contains("actual future has 4 values but forecast has 3"), truth);
    IllegalStateException noForecast =
        assertThrows(
            IllegalStateException.class,
            () -> ForecastPlot.of(wave()).uncertainty(constant(3, 1), 2).write(png));
    assertTrue(noForecast.getMessage().contains("without a forecast"), noForecast.getMessage());
    assertFalse(png.toFile().exists(), "nothing is written for bad data");
  }

  private static void write(ForecastPlot plot, Path png) {
    try {
      plot.write(png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
