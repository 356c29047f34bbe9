package dev.timestep.plot;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A series with its forecast: the observed values (missing ones, NaN, are drawn as gaps), the
 * forecast continuing from the last observation, optionally mean ± k·std per forecast step (from MC
 * dropout or backtests) as a shaded band, and the true future values.
 *
 * <p>A series given with its times ({@link #of(List, double[])}) gets a date axis whose ticks read
 * as the series writes its times ({@link #timeLabels}: 2002-01-05, 1985-04, 1985 Q2); one given
 * with numbers (an index, decimal years) gets a plain numeric axis.
 *
 * <pre>{@code
 * ForecastPlot.of(weeks, co2)                 // List<LocalDateTime>; NaN = missing week
 *     .forecast(nextWeeks, meanPerStep)
 *     .uncertainty(stdPerStep, 2)             // a band of mean ± 2 std
 *     .title("Mauna Loa CO2").xLabel("date").yLabel("co2").units("ppm")
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
  private String spreadLabel;
  private double[] actual;
  private boolean band = true;
  private String units;

  /** How ticks write a time; null for a series given with numbers rather than times. */
  private Function<LocalDateTime, String> timeLabels;

  private ForecastPlot(double[] time, double[] values) {
    super("Forecast", "time", "value");
    this.time = time;
    this.values = values;
  }

  /**
   * The observed series at {@code times} (strictly increasing, read as UTC), on a date axis. Ticks
   * are written as ISO dates (2002-01-05, with the time of day when it is not midnight) unless
   * {@link #timeLabels} says otherwise. NaN values are missing: drawn as gaps.
   */
  public static ForecastPlot of(List<LocalDateTime> times, double[] values) {
    ForecastPlot plot = of(millis("time", times), values);
    plot.timeLabels = ForecastPlot::isoLabel;
    return plot;
  }

  private static String isoLabel(LocalDateTime t) {
    return t.toLocalTime().equals(LocalTime.MIDNIGHT)
        ? t.toLocalDate().toString()
        : t.toLocalDate() + " " + t.toLocalTime();
  }

  private static double[] millis(String what, List<LocalDateTime> times) {
    if (times == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    double[] x = new double[times.size()];
    for (int i = 0; i < x.length; i++) {
      if (times.get(i) == null) {
        throw new IllegalArgumentException(what + "[" + i + "] is null");
      }
      x[i] = TimeAxis.x(times.get(i));
    }
    return x;
  }

  /**
   * How the date axis writes a time at a tick, e.g. {@code t -> t.format(ofPattern("yyyy-MM"))} for
   * a monthly series: as the series writes its own times.
   *
   * @throws IllegalStateException for a series given with numbers, which has no date axis
   */
  public ForecastPlot timeLabels(Function<LocalDateTime, String> label) {
    if (label == null) {
      throw new IllegalArgumentException("time labels: expected a function, got null");
    }
    requireTimes("time labels");
    this.timeLabels = label;
    return this;
  }

  /**
   * The unit of the values, e.g. "ppm": the value axis reads "co2 (ppm)" for a y label "co2" (null
   * for none, the default).
   */
  public ForecastPlot units(String units) {
    if (units != null) {
      PlotChecks.text("units", units);
      if (units.isBlank()) {
        throw new IllegalArgumentException("units must not be blank; pass null for none");
      }
    }
    this.units = units;
    return this;
  }

  /** The value axis' title: the y label and the units, when known. */
  String valueTitle() {
    return units == null ? yLabel() : yLabel() + " (" + units + ")";
  }

  private void requireTimes(String what) {
    if (timeLabels == null) {
      throw new IllegalStateException(
          what
              + " need a series given with its times (ForecastPlot.of(List<LocalDateTime>, "
              + "double[])), not with numbers");
    }
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
    return forecastAt(t, m);
  }

  /**
   * The forecast at the given times, which must increase and come after the last observation: for a
   * series given with its times.
   */
  public ForecastPlot forecast(List<LocalDateTime> times, double[] mean) {
    requireTimes("forecast times");
    return forecastAt(millis("forecast time", times), mean);
  }

  /**
   * The forecast at the given times, which must increase and come after the last observation: for a
   * series given with numbers.
   */
  public ForecastPlot forecast(double[] time, double[] mean) {
    if (timeLabels != null) {
      throw new IllegalStateException(
          "forecast at numeric times for a series given with its times: pass the forecast's "
              + "times as List<LocalDateTime>");
    }
    return forecastAt(time, mean);
  }

  private ForecastPlot forecastAt(double[] time, double[] mean) {
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
    this.spreadLabel =
        "forecast ± "
            + BigDecimal.valueOf(k).stripTrailingZeros().toPlainString()
            + " "
            + spreadName.strip();
    return this;
  }

  /**
   * An interval of {@code halfWidth} either side of the forecast per step, legended by its own
   * {@code name} (e.g. "80% interval", a split-conformal interval from backtests).
   */
  public ForecastPlot interval(double[] halfWidth, String name) {
    uncertainty(halfWidth, 1, name);
    this.spreadLabel = name.strip();
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
   * Draws the uncertainty as a shaded band (the default) or, with false, as an error bar per step.
   * A one-step forecast always gets an error bar, since a band over one point has no width.
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
    ValueAxis x =
        timeLabels == null
            ? ChartStyle.linearAxis(xLabel())
            : TimeAxis.of(xLabel(), timeLabels, time);
    XYPlot plot = new XYPlot(lines, x, ChartStyle.linearAxis(valueTitle()), renderer);
    ChartStyle.style(plot);
    if (std != null) {
      new ForecastSpread(forecastTime, mean, std, k, spreadLabel, band && mean.length > 1)
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
