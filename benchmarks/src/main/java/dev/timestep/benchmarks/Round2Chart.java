package dev.timestep.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The sweep chart: per point, PyTorch / Timestep and Timestep / floor as bars on a log axis, with
 * the targets' 1.5x drawn across.
 */
final class Round2Chart {
  static final String VS_PEER = "PyTorch / Timestep (target ≥ 1.5)";
  static final String X_FLOOR = "Timestep / floor (target ≤ 1.5 where compute-bound)";
  private static final int WIDTH = 1600;
  private static final int HEIGHT = 700;

  private Round2Chart() {}

  /** The chart of {@code sweep}; points without a value leave their bar out. */
  static JFreeChart sweep(List<SweepResult> sweep, String title) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (SweepResult r : sweep) {
      String label = r.point().label() + (r.point().computeBound() ? " *" : "");
      double vs = r.vsPeer();
      data.addValue(Double.isFinite(vs) ? vs : null, VS_PEER, label);
      data.addValue(r.xFloor(), X_FLOOR, label);
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title,
            "point (* compute-bound)",
            "ratio (log)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    // base 2, a tick at every doubling: ratios of 0.5 to a few hundred read off directly
    LogAxis axis = ReportCharts.logAxis("ratio (log)");
    axis.setBase(2);
    double low = 1;
    double high = 2;
    for (SweepResult r : sweep) {
      for (double v : new double[] {r.vsPeer(), r.xFloor()}) {
        if (Double.isFinite(v) && v > 0) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
    }
    axis.setRange(low / 1.5, high * 1.5);
    plot.setRangeAxis(axis);
    ValueMarker target = new ValueMarker(1.5, Color.RED, new BasicStroke(1.5f));
    plot.addRangeMarker(target);
    plot.addRangeMarker(new ValueMarker(1.0, Color.GRAY, new BasicStroke(1f)));
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_90);
    BarRenderer renderer = ReportCharts.flatBars(plot);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesPaint(1, new Color(0xff7f0e));
    ReportCharts.style(chart);
    return chart;
  }

  /** Renders {@code chart} into {@code png}. */
  static void write(JFreeChart chart, Path png) throws IOException {
    ReportCharts.write(chart, png, WIDTH, HEIGHT);
  }
}
