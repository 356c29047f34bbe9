package dev.timestep.plot;

import java.awt.Color;
import java.awt.Font;
import java.text.NumberFormat;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;

/** The look every plot shares: white background, light grid, legend below, plain numbers. */
final class ChartStyle {
  private ChartStyle() {}

  static JFreeChart chart(String title, Plot plot) {
    JFreeChart chart =
        new JFreeChart(
            title.isEmpty() ? null : title, new Font(Font.SANS_SERIF, Font.BOLD, 18), plot, true);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(BlockBorder.NONE);
    return chart;
  }

  static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Palette.GRID);
    plot.setRangeGridlinePaint(Palette.GRID);
    plot.setOutlinePaint(Color.GRAY);
  }

  static void style(CategoryPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Palette.GRID);
    plot.setOutlinePaint(Color.GRAY);
  }

  /** Adds (x, y) with NaN y kept as a missing value (null), so the line breaks there. */
  static void addPoint(XYSeries series, double x, double y) {
    series.add(Double.valueOf(x), Double.isNaN(y) ? null : Double.valueOf(y));
  }

  /** A linear axis fitted to the data (not stretched to zero) that writes 1990, not 1,990. */
  static NumberAxis linearAxis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    NumberFormat plain = NumberFormat.getNumberInstance(Locale.ROOT);
    plain.setGroupingUsed(false);
    plain.setMaximumFractionDigits(6);
    axis.setNumberFormatOverride(plain);
    return axis;
  }

  /**
   * The axis for values: linear, or base-10 logarithmic titled "label (log scale)" with ticks such
   * as 1e-3 (see {@link LogScale}).
   */
  static ValueAxis valueAxis(String label, boolean log) {
    return log ? LogScale.axis(label) : linearAxis(label);
  }
}
