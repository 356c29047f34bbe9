package dev.timestep.plot;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * A results table as a bar chart: per row, our value (with ± std error bars when it is a mean over
 * several seeds) beside the book's number, on a log axis by default since the rows span two orders
 * of magnitude.
 *
 * <pre>{@code
 * List<BookComparisonPlot.Bar> bars = List.of(
 *     new BookComparisonPlot.Bar("1", 0.0207, 0.0004, 0.0203),
 *     new BookComparisonPlot.Bar("2", 0.0041, 0, 0.0040));
 * BookComparisonPlot.of(bars).title("Chapter 15").write(Path.of("table.png"));
 * }</pre>
 */
public final class BookComparisonPlot extends PngPlot<BookComparisonPlot> {
  /** Labels longer than this are drawn slanted so that neighbours do not overlap. */
  private static final int LONGEST_UPRIGHT_LABEL = 6;

  /**
   * One row of the table.
   *
   * @param label the row's name on the x axis (unique), e.g. its number
   * @param ours our value, the mean when several seeds ran
   * @param oursStd its standard deviation over seeds; 0 (one seed) draws no error bar
   * @param book the book's value
   */
  public record Bar(String label, double ours, double oursStd, double book) {
    public Bar {
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException(
            "a bar needs a label, got " + (label == null ? "null" : "\"" + label + "\""));
      }
      if (!Double.isFinite(ours) || !Double.isFinite(book)) {
        throw new IllegalArgumentException(
            "bar '"
                + label
                + "': our value and the book's must be finite, got ours = "
                + ours
                + ", book = "
                + book);
      }
      if (!(oursStd >= 0) || Double.isInfinite(oursStd)) {
        throw new IllegalArgumentException(
            "bar '" + label + "': the std must be finite and >= 0, got " + oursStd);
      }
    }
  }

  private final List<Bar> bars;
  private boolean logScale = true;

  private BookComparisonPlot(List<Bar> bars) {
    super("Ours vs the book", "row", "value");
    this.bars = bars;
  }

  /** One bar pair per entry, in order; labels must be unique. */
  public static BookComparisonPlot of(List<Bar> bars) {
    if (bars == null || bars.isEmpty()) {
      throw new IllegalArgumentException(
          "book comparison: at least one row is needed, got " + (bars == null ? "null" : "none"));
    }
    Set<String> labels = new HashSet<>();
    for (Bar b : bars) {
      if (b == null) {
        throw new IllegalArgumentException("book comparison: a row is null");
      }
      if (!labels.add(b.label())) {
        throw new IllegalArgumentException(
            "book comparison: the label '" + b.label() + "' appears twice");
      }
    }
    return new BookComparisonPlot(List.copyOf(bars));
  }

  /** The same from parallel arrays; {@code oursStd} may be null (one seed: no error bars). */
  public static BookComparisonPlot of(
      String[] labels, double[] ours, double[] oursStd, double[] book) {
    if (labels == null) {
      throw new IllegalArgumentException("labels must not be null");
    }
    double[] o = PlotChecks.copy("ours", ours);
    double[] b = PlotChecks.copy("book", book);
    PlotChecks.sameLength("ours", o, "book", b);
    if (labels.length != o.length) {
      throw new IllegalArgumentException(
          "labels has "
              + labels.length
              + " entries but ours has "
              + o.length
              + "; they must have the same length");
    }
    double[] s = oursStd == null ? new double[o.length] : PlotChecks.copy("ours std", oursStd);
    PlotChecks.sameLength("ours std", s, "ours", o);
    List<Bar> list = new ArrayList<>();
    for (int i = 0; i < o.length; i++) {
      list.add(new Bar(labels[i], o[i], s[i], b[i]));
    }
    return of(list);
  }

  /** Writes the bars at the default size, log scale. */
  public static void write(List<Bar> bars, String title, Path png) throws IOException {
    of(bars).title(title).write(png);
  }

  /** A base-10 logarithmic value axis (the default); every value must then be positive. */
  public BookComparisonPlot logScale(boolean logScale) {
    this.logScale = logScale;
    return this;
  }

  @Override
  JFreeChart chart() {
    boolean seeds = bars.stream().anyMatch(b -> b.oursStd() > 0);
    String oursKey = seeds ? "ours (mean ± std over seeds)" : "ours";
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    for (Bar b : bars) {
      if (logScale && (b.ours() <= 0 || b.book() <= 0)) {
        throw new IllegalArgumentException(
            "a log-scale axis needs positive values, but bar '"
                + b.label()
                + "' has ours = "
                + b.ours()
                + ", book = "
                + b.book()
                + "; use a linear scale");
      }
      // A null std draws no error bar at all (one seed, or the book's single number).
      Double std = b.oursStd() > 0 ? Double.valueOf(b.oursStd()) : null;
      data.add(Double.valueOf(b.ours()), std, oursKey, b.label());
      data.add(Double.valueOf(b.book()), (Double) null, "book", b.label());
    }
    StatisticalBarRenderer renderer = new StatisticalBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setItemMargin(0.05);
    renderer.setSeriesPaint(0, Palette.OURS);
    renderer.setSeriesPaint(1, Palette.BOOK);
    renderer.setErrorIndicatorPaint(Palette.ERROR_BAR);
    renderer.setErrorIndicatorStroke(new BasicStroke(1.5f));
    CategoryAxis rows = new CategoryAxis(xLabel());
    if (bars.stream().anyMatch(b -> b.label().length() > LONGEST_UPRIGHT_LABEL)) {
      rows.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    ValueAxis values = ChartStyle.valueAxis(yLabel(), logScale);
    if (logScale) {
      setLogRange(values);
    }
    CategoryPlot plot = new CategoryPlot(data, rows, values, renderer);
    ChartStyle.style(plot);
    return ChartStyle.chart(title(), plot);
  }

  /**
   * Fits the log axis to the bars and the positive ends of their error bars, half a decade either
   * side; an automatic range would reach down to the axis' smallest value whenever an error bar
   * crosses zero.
   */
  private void setLogRange(ValueAxis axis) {
    double low = Double.POSITIVE_INFINITY;
    double high = 0;
    for (Bar b : bars) {
      low = Math.min(low, Math.min(b.ours(), b.book()));
      if (b.ours() - b.oursStd() > 0) {
        low = Math.min(low, b.ours() - b.oursStd());
      }
      high = Math.max(high, Math.max(b.ours() + b.oursStd(), b.book()));
    }
    double margin = Math.sqrt(10);
    axis.setRange(low / margin, high * margin);
  }
}
