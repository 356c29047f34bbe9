package dev.timestep.plot;

import dev.timestep.nn.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Learning curves: loss and validation loss per epoch, and below them any other recorded metric
 * (such as {@code last_time_step_mse}) in a second panel. Training curves are solid blue and
 * validation ({@code val_}) curves dashed orange (a second metric in one panel gets green and
 * purple, ...). On a log scale the value axis says so in its title, "loss (log scale)", and reads
 * 1e-3, 1e-2, ... at whole decades.
 *
 * <pre>{@code
 * History h = model.fit(x, y, options);
 * LearningCurvePlot.of(h).title("LSTM, 20 epochs").logScale(true).write(Path.of("curves.png"));
 * }</pre>
 */
public final class LearningCurvePlot extends PngPlot<LearningCurvePlot> {
  private static final String VAL = "val_";

  /** Above this many epochs a dot on every point would hide the line. */
  private static final int MAX_EPOCHS_WITH_POINTS = 40;

  private final Map<String, double[]> curves;
  private boolean logScale;

  private LearningCurvePlot(Map<String, double[]> curves) {
    super("Learning curves", "epoch", "loss");
    this.curves = curves;
  }

  /** Every series a {@code fit} recorded: "loss", each metric, and their "val_" versions. */
  public static LearningCurvePlot of(History history) {
    if (history == null) {
      throw new IllegalArgumentException("history must not be null");
    }
    if (history.epochs() == 0) {
      throw new IllegalArgumentException(
          "history has no epochs: fit ran none, so there is no curve to plot");
    }
    Map<String, double[]> curves = new LinkedHashMap<>();
    for (String name : history.epoch(0).keySet()) {
      curves.put(name, history.series(name).stream().mapToDouble(Double::doubleValue).toArray());
    }
    return of(curves);
  }

  /**
   * Curves by name, one value per epoch (epoch 1 first), all of the same length. Names "loss" and
   * "val_loss" go in the upper panel, any other in the lower one; NaN is a gap.
   */
  public static LearningCurvePlot of(Map<String, double[]> curves) {
    if (curves == null || curves.isEmpty()) {
      throw new IllegalArgumentException(
          "learning curves: at least one named curve is needed, got "
              + (curves == null ? "null" : "none"));
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    String first = null;
    for (Map.Entry<String, double[]> e : curves.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("learning curves: a curve has no name");
      }
      double[] values = PlotChecks.copy("curve '" + name + "'", e.getValue());
      PlotChecks.finiteOrMissing("curve '" + name + "'", values);
      if (first != null) {
        PlotChecks.sameLength(
            "curve '" + name + "'", values, "curve '" + first + "'", copy.get(first));
      }
      first = first == null ? name : first;
      copy.put(name, values);
    }
    return new LearningCurvePlot(copy);
  }

  /** Writes the curves of {@code history} at the default size. */
  public static void write(History history, String title, Path png) throws IOException {
    of(history).title(title).write(png);
  }

  /**
   * A base-10 logarithmic value axis (default: linear), titled "loss (log scale)" and ticked 1e-3,
   * 1e-2, ...; every value must then be positive.
   */
  public LearningCurvePlot logScale(boolean logScale) {
    this.logScale = logScale;
    return this;
  }

  @Override
  JFreeChart chart() {
    if (logScale) {
      curves.forEach((name, values) -> PlotChecks.positiveForLog("curve '" + name + "'", values));
    }
    List<String> losses = new ArrayList<>();
    List<String> metrics = new ArrayList<>();
    for (String name : curves.keySet()) {
      (baseName(name).equals("loss") ? losses : metrics).add(name);
    }
    NumberAxis epochs = ChartStyle.linearAxis(xLabel());
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    Plot plot;
    if (losses.isEmpty() || metrics.isEmpty()) {
      XYPlot only = panel(losses.isEmpty() ? metrics : losses, yLabel());
      only.setDomainAxis(epochs);
      plot = only;
    } else {
      CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochs);
      combined.setGap(12);
      combined.add(panel(losses, yLabel()), 3);
      combined.add(panel(metrics, metricLabel(metrics)), 2);
      plot = combined;
    }
    return ChartStyle.chart(title(), plot);
  }

  /** One panel; a curve's colour comes from its metric's place in the panel and its role. */
  private XYPlot panel(List<String> names, String label) {
    List<String> bases = new ArrayList<>();
    for (String name : names) {
      if (!bases.contains(baseName(name))) {
        bases.add(baseName(name));
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    for (String name : names) {
      XYSeries s = new XYSeries(name, false, true);
      double[] values = curves.get(name);
      for (int epoch = 0; epoch < values.length; epoch++) {
        ChartStyle.addPoint(s, epoch + 1, values[epoch]);
      }
      data.addSeries(s);
    }
    GapLineRenderer renderer = new GapLineRenderer(data);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      renderer.setSeriesPaint(
          i, Palette.curve(bases.indexOf(baseName(name)), name.startsWith(VAL)));
      renderer.setSeriesStroke(i, name.startsWith(VAL) ? Palette.DASHED : Palette.LINE);
      renderer.showPoints(i, curves.get(name).length <= MAX_EPOCHS_WITH_POINTS);
    }
    XYPlot plot = new XYPlot(data, null, valueAxis(names, label), renderer);
    ChartStyle.style(plot);
    return plot;
  }

  /** Linear, or log fitted to the panel's curves (all positive: checked before). */
  private ValueAxis valueAxis(List<String> names, String label) {
    if (!logScale) {
      return ChartStyle.linearAxis(label);
    }
    double low = Double.POSITIVE_INFINITY;
    double high = 0;
    for (String name : names) {
      for (double v : curves.get(name)) {
        if (!Double.isNaN(v)) {
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
    }
    return high > 0 ? LogScale.fitted(label, low, high) : LogScale.axis(label);
  }

  /** The metric's own name when the lower panel shows one metric (and its val_ twin). */
  private static String metricLabel(List<String> metrics) {
    String base = baseName(metrics.get(0));
    return metrics.stream().allMatch(m -> baseName(m).equals(base)) ? base : "metric";
  }

  private static String baseName(String name) {
    return name.startsWith(VAL) ? name.substring(VAL.length()) : name;
  }
}
