package dev.timestep.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

/**
 * What every plot shares: a title, axis labels, a size in pixels, and {@link #write(Path)}, which
 * renders off-screen and writes the PNG atomically (a temporary file, then a rename).
 *
 * @param <T> the concrete plot, so that the setters chain
 */
public abstract class PngPlot<T extends PngPlot<T>> {
  public static final int DEFAULT_WIDTH = 1000;
  public static final int DEFAULT_HEIGHT = 600;

  /** Larger images would take gigabytes and say nothing more. */
  public static final int MAX_SIDE = 10_000;

  static {
    // Before any subclass touches AWT: no display is needed or wanted.
    Headless.ensure();
  }

  private String title;
  private String xLabel;
  private String yLabel;
  private int width = DEFAULT_WIDTH;
  private int height = DEFAULT_HEIGHT;

  PngPlot(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** The title above the plot ("" for none). */
  public T title(String title) {
    PlotChecks.text("title", title);
    this.title = title;
    return self();
  }

  /** The label of the horizontal axis. */
  public T xLabel(String label) {
    PlotChecks.text("x label", label);
    this.xLabel = label;
    return self();
  }

  /** The label of the vertical axis. */
  public T yLabel(String label) {
    PlotChecks.text("y label", label);
    this.yLabel = label;
    return self();
  }

  /** The image size in pixels (default {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT}). */
  public T size(int width, int height) {
    if (width < 100 || height < 100 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException(
          "plot size must be between 100 and "
              + MAX_SIDE
              + " pixels per side, got "
              + width
              + "x"
              + height);
    }
    this.width = width;
    this.height = height;
    return self();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * Renders the plot and writes it to {@code png} (a name ending in .png; missing folders are
   * created). The data are checked first: nothing is written when they cannot be plotted.
   *
   * @throws IllegalArgumentException the data cannot be plotted or the path is not a PNG file
   * @throws IOException the file or its folder cannot be written
   */
  public void write(Path png) throws IOException {
    PngFile.checkTarget(png);
    PngFile.write(render(chart(), null), png);
  }

  /** Renders at this plot's size; {@code info}, when given, receives where the plot area landed. */
  BufferedImage render(JFreeChart chart, ChartRenderingInfo info) {
    chart.setBackgroundPaint(Color.WHITE);
    try {
      return chart.createBufferedImage(width, height, info);
    } catch (RuntimeException | Error e) {
      if (Headless.isDisplayError(e)) {
        throw Headless.noDisplay(e);
      }
      throw e;
    }
  }

  /** Checks the data and builds the chart; throws before anything is drawn when data are bad. */
  abstract JFreeChart chart();

  String title() {
    return title;
  }

  String xLabel() {
    return xLabel;
  }

  String yLabel() {
    return yLabel;
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }
}
