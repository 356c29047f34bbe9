package dev.timestep.benchmarks;

import dev.timestep.plot.PngFile;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's two PNG charts: epoch time per model beside PyTorch and the floor; scaling, log-log.
 */
final class ReportCharts {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 600;

  private ReportCharts() {}

  /** Epoch seconds per chapter model and backend, PyTorch's, and the 1-thread floor; log scale. */
  static JFreeChart models(ReportData d) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ModelTiming t : ModelTiming.from(d.results())) {
      String model = t.workload().row() + " " + t.workload().model();
      if (!Double.isNaN(t.trainUs())) {
        String threads =
            t.threads() == 0
                ? "all threads"
                : t.threads() + (t.threads() == 1 ? " thread" : " threads");
        data.addValue(t.epochUs() / 1e6, "Timestep " + t.backend() + " (" + threads + ")", model);
      }
      double peer = d.peer() == null ? Double.NaN : d.peer().trainUs(t.workload().row());
      if (!Double.isNaN(peer)) {
        data.addValue(peer * ChapterWorkload.STEPS_PER_EPOCH / 1e6, "PyTorch (1 thread)", model);
      }
      data.addValue(d.floorSeconds1(t.workload().epochFlops()), "floor (1 thread)", model);
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Training epoch (219 steps of 32 x 50), " + d.host(),
            "chapter row",
            "seconds per epoch (log)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    LogAxis axis = logAxis("seconds per epoch (log)");
    axis.setSmallestValue(1e-6);
    plot.setRangeAxis(axis);
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    flatBars(plot);
    style(chart);
    return chart;
  }

  /** Milliseconds against size for every sweep, both axes logarithmic. */
  static JFreeChart scaling(List<BenchResult> scaling) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (ScalingSweep sweep : ScalingSweep.all()) {
      XYSeries series = new XYSeries(sweep.name() + " (" + sweep.param() + ")");
      for (ScalingPoint p : ScalingPoint.of(sweep, scaling)) {
        series.add(p.size(), p.us() / 1e3);
      }
      if (!series.isEmpty()) {
        data.addSeries(series);
      }
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "Time against size (cpu, log-log)",
            "size",
            "milliseconds",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    plot.setDomainAxis(logAxis("size (batch, steps, units or series length)"));
    plot.setRangeAxis(logAxis("milliseconds per call"));
    plot.setRenderer(new XYLineAndShapeRenderer(true, true));
    style(chart);
    return chart;
  }

  /**
   * A base-10 log axis with a tick at every power of ten, labelled 0.001, 1, 1,000 rather than
   * 10^x.
   */
  static LogAxis logAxis(String label) {
    LogAxis axis = new LogAxis(label);
    axis.setTickUnit(new NumberTickUnit(1));
    axis.setNumberFormatOverride(new DecimalFormat("#,##0.######"));
    return axis;
  }

  /** White chart and plot backgrounds. */
  static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
  }

  /** Plain bars: no gradient, no shadow. Returns the plot's renderer for further settings. */
  static BarRenderer flatBars(CategoryPlot plot) {
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    return renderer;
  }

  /** Renders {@code chart} into {@code png} at the report charts' size. */
  static void write(JFreeChart chart, Path png) throws IOException {
    write(chart, png, WIDTH, HEIGHT);
  }

  /** Renders {@code chart} into {@code png}, width x height pixels. */
  static void write(JFreeChart chart, Path png, int width, int height) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // render without a display
    }
    PngFile.write(chart.createBufferedImage(width, height), png);
  }
}
