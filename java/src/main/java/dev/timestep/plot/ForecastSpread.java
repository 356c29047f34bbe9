package dev.timestep.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The forecast's spread, mean ± k·std per step (std being whatever spread the caller names), as
 * error bars or a shaded band, with its legend entry.
 */
final class ForecastSpread {
  private static final float BAND_ALPHA = 0.2f;
  private static final BasicStroke ERROR_STROKE = new BasicStroke(1.5f);

  private final double[] x;
  private final double[] mean;
  private final double[] std;
  private final double k;
  private final String label;
  private final boolean band;

  /**
   * Arrays already checked by {@link ForecastPlot}: same length, finite, std >= 0, k > 0.
   *
   * @param label the legend entry ("forecast ± 2 MC-dropout std", "80% interval")
   */
  ForecastSpread(double[] x, double[] mean, double[] std, double k, String label, boolean band) {
    this.x = x;
    this.mean = mean;
    this.std = std;
    this.k = k;
    this.label = label;
    this.band = band;
  }

  /** Adds the spread as the plot's dataset 1, drawn before dataset 0 so that lines stay on top. */
  void addTo(XYPlot plot) {
    plot.setDataset(1, dataset());
    XYItemRenderer renderer = renderer();
    // Neither renderer has a legend graphic for an interval; draw one that looks like it.
    renderer.setSeriesVisibleInLegend(0, false);
    plot.setRenderer(1, renderer);
    LegendItemCollection legend = plot.getLegendItems();
    legend.add(legendItem());
    plot.setFixedLegendItems(legend);
  }

  private YIntervalSeriesCollection dataset() {
    YIntervalSeries s = new YIntervalSeries(label);
    for (int i = 0; i < mean.length; i++) {
      s.add(x[i], mean[i], mean[i] - k * std[i], mean[i] + k * std[i]);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(s);
    return data;
  }

  private XYItemRenderer renderer() {
    if (band) {
      DeviationRenderer r = new DeviationRenderer(false, false);
      r.setSeriesPaint(0, Palette.FORECAST);
      r.setSeriesFillPaint(0, Palette.FORECAST);
      r.setAlpha(BAND_ALPHA);
      return r;
    }
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setDefaultLinesVisible(false);
    r.setDefaultShapesVisible(false);
    r.setSeriesPaint(0, Palette.FORECAST);
    r.setErrorPaint(Palette.FORECAST);
    r.setErrorStroke(ERROR_STROKE);
    r.setCapLength(6);
    return r;
  }

  /** A shaded square for the band, or an error bar with its caps. */
  private LegendItem legendItem() {
    if (band) {
      Color c = Palette.FORECAST;
      Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.round(255 * BAND_ALPHA));
      return new LegendItem(label, null, null, null, new Rectangle2D.Double(-7, -5, 14, 10), fill);
    }
    Path2D bar = new Path2D.Double();
    bar.moveTo(-4, -7);
    bar.lineTo(4, -7);
    bar.moveTo(0, -7);
    bar.lineTo(0, 7);
    bar.moveTo(-4, 7);
    bar.lineTo(4, 7);
    return new LegendItem(
        label,
        null,
        null,
        null,
        true,
        bar,
        false,
        Palette.FORECAST,
        true,
        Palette.FORECAST,
        ERROR_STROKE,
        false,
        new Line2D.Double(),
        ERROR_STROKE,
        Palette.FORECAST);
  }
}
