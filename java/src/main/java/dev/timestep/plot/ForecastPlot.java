package dev.timestep.plot;

import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A series with its forecast: the observed values (missing ones, NaN, are drawn as gaps), the
 * forecast continuing from the last observation, optionally mean ± k·std per forecast step (from MC
 * dropout, as error bars or a band) and the true future values.
 *
 * <pre>{@code
 * ForecastPlot.of(years, co2)                 // x: years as doubles; NaN = missing week
 *     .forecast(meanPerStep)                  // x continues at the series' last spacing
 *     .uncertainty(stdPerStep, 2)             // mean ± 2 std
 *     .title("Mauna Loa CO2").xLabel("year").yLabel("ppm")
 *     .write(Path.of("co2-forecast.png"));
 * }</pre>
 */
public final class ForecastPlot extends PngPlot<ForecastPlot> {
  /** Above this many forecast steps, a dot per step would hide the line. */
  private static final int MAX_STEPS_WITH_POINTS = 60;

  private final double[] time;
  private final double[] values;
  private double[] forecastTime;
  private double[] mean;
  private double[] std;
  private double k;
  private String spreadName;
  private double[] actual;
  private boolean band;

  private ForecastPlot(double[] time, double[] values) {
    super("Forecast", "time", "value");
    this.time = time;
    this.values = values;
  }

  /** The observed series against its index 0, 1, ..., n-1. */
  public static ForecastPlot of(double[] values) {
    double[] v = PlotChecks.copy("series", values);
    double[] index = new double[v.length];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    return of(index, v);
  }

  /**
   * The observed series against {@code time} (an index, or dates as doubles such as decimal years),
   * which must be finite and strictly increasing. NaN values are missing: drawn as gaps.
   */
  public static ForecastPlot of(double[] time, double[] values) {
    double[] t = PlotChecks.copy("time", time);
    double[] v = PlotChecks.copy("series", values);
    PlotChecks.sameLength("series", v, "time", t);
    PlotChecks.strictlyIncreasing("time", t);
    PlotChecks.finiteOrMissing("series", v);
    return new ForecastPlot(t, v);
  }

  /** Writes a series with index x, its forecast and mean ± 2 std (std may be null). */
  public static void write(
      double[] series, double[] forecastMean, double[] forecastStd, String title, Path png)
      throws IOException {
    ForecastPlot plot = of(series).forecast(forecastMean).title(title);
    if (forecastStd != null) {
      plot.uncertainty(forecastStd, 2);
    }
    plot.write(png);
  }

  /**
   * The forecast, one value per step, placed after the last observation at the series' last spacing
   * ({@code time[n-1] - time[n-2]}; 1 for a one-value series).
   */
  public ForecastPlot forecast(double[] mean) {
    double[] m = PlotChecks.copy("forecast", mean);
    int n = time.length;
    double step = n > 1 ? time[n - 1] - time[n - 2] : 1;
    double[] t = new double[m.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = time[n - 1] + (i + 1) * step;
    }
    return forecast(t, m);
  }

  /** The forecast at the given times, which must increase and come after the last observation. */
  public ForecastPlot forecast(double[] time, double[] mean) {
    double[] t = PlotChecks.copy("forecast time", time);
    double[] m = PlotChecks.copy("forecast", mean);
    PlotChecks.sameLength("forecast", m, "forecast time", t);
    PlotChecks.strictlyIncreasing("forecast time", t);
    PlotChecks.finite("forecast", m);
    double last = this.time[this.time.length - 1];
    if (!(t[0] > last)) {
      throw new IllegalArgumentException(
          "the forecast must start after the series ends: forecast time[0] = "
              + t[0]
              + " but the last observation is at "
              + last);
    }
    this.forecastTime = t;
    this.mean = m;
    return this;
  }

  /**
   * The spread per forecast step (e.g. the standard deviation of MC-dropout samples), drawn as
   * forecast ± k·std.
   */
  public ForecastPlot uncertainty(double[] std, double k) {
    return uncertainty(std, k, "std");
  }

  /**
   * As {@link #uncertainty(double[], double)}, with the legend naming what the spread is: it reads
   * "forecast ± k spreadName", e.g. "forecast ± 2 MC-dropout std" or "forecast ± 2 backtest RMSE".
   */
  public ForecastPlot uncertainty(double[] std, double k, String spreadName) {
    if (spreadName == null || spreadName.isBlank()) {
      throw new IllegalArgumentException(
          "spread name (for the legend) must not be blank, got "
              + (spreadName == null ? "null" : "'" + spreadName + "'"));
    }
    double[] s = PlotChecks.copy("forecast std", std);
    PlotChecks.nonNegative("forecast std", s);
    if (!(k > 0) || Double.isInfinite(k)) {
      throw new IllegalArgumentException(
          "k (how many std either side of the forecast) must be positive and finite, got " + k);
    }
    this.std = s;
    this.k = k;
    this.spreadName = spreadName.strip();
    return this;
  }

  /** The true values over the forecast horizon, to compare with; NaN is missing. */
  public ForecastPlot actual(double[] future) {
    double[] a = PlotChecks.copy("actual future", future);
    PlotChecks.finiteOrMissing("actual future", a);
    this.actual = a;
    return this;
  }

  /**
   * Draws the uncertainty as a shaded band instead of error bars (default: error bars). A one-step
   * forecast always gets an error bar, since a band over one point has no width.
   */
  public ForecastPlot band(boolean band) {
    this.band = band;
    return this;
  }

  @Override
  JFreeChart chart() {
    checkForecastParts();
    XYSeriesCollection lines = new XYSeriesCollection();
    XYSeries observed = new XYSeries("observed", false, true);
    for (int i = 0; i < values.length; i++) {
      ChartStyle.addPoint(observed, time[i], values[i]);
    }
    lines.addSeries(observed);
    if (mean != null) {
      lines.addSeries(continuing("forecast", mean));
    }
    if (actual != null) {
      lines.addSeries(continuing("actual", actual));
    }
    GapLineRenderer renderer = new GapLineRenderer(lines);
    renderer.setSeriesPaint(0, Palette.OBSERVED);
    renderer.setSeriesStroke(0, Palette.LINE);
    for (int s = 1; s < lines.getSeriesCount(); s++) {
      boolean isActual = lines.getSeriesKey(s).equals("actual");
      renderer.setSeriesPaint(s, isActual ? Palette.ACTUAL : Palette.FORECAST);
      renderer.setSeriesStroke(s, isActual ? Palette.DASHED : Palette.LINE);
      renderer.showPoints(s, mean.length <= MAX_STEPS_WITH_POINTS);
    }
    XYPlot plot =
        new XYPlot(
            lines, ChartStyle.linearAxis(xLabel()), ChartStyle.linearAxis(yLabel()), renderer);
    ChartStyle.style(plot);
    if (std != null) {
      new ForecastSpread(forecastTime, mean, std, k, spreadName, band && mean.length > 1)
          .addTo(plot);
    }
    if (mean != null) {
      ValueMarker start = new ValueMarker(time[time.length - 1], Palette.MARKER, Palette.DASHED);
      plot.addDomainMarker(start);
    }
    return ChartStyle.chart(title(), plot);
  }

  private void checkForecastParts() {
    if (mean == null && (std != null || actual != null)) {
      throw new IllegalStateException(
          (std != null ? "uncertainty" : "actual future values")
              + " given without a forecast: call forecast(...) as well");
    }
    if (std != null) {
      PlotChecks.sameLength("forecast std", std, "forecast", mean);
    }
    if (actual != null) {
      PlotChecks.sameLength("actual future", actual, "forecast", mean);
    }
  }

  /** A horizon-long series joined to the last observation (when it is not missing). */
  private XYSeries continuing(String name, double[] future) {
    XYSeries s = new XYSeries(name, false, true);
    double lastObserved = values[values.length - 1];
    if (!Double.isNaN(lastObserved)) {
      ChartStyle.addPoint(s, time[time.length - 1], lastObserved);
    }
    for (int i = 0; i < future.length; i++) {
      ChartStyle.addPoint(s, forecastTime[i], future[i]);
    }
    return s;
  }
}
