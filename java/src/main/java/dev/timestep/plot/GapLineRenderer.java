package dev.timestep.plot;

import java.awt.geom.Ellipse2D;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYDataset;

/**
 * Lines that break at missing values (NaN), with a dot on each point that has no neighbour to join:
 * a lone observation between two gaps, or a one-epoch curve, stays visible. Series flagged with
 * {@link #showPoints} get a dot on every point.
 */
final class GapLineRenderer extends XYLineAndShapeRenderer {
  private static final long serialVersionUID = 1L;

  private final XYDataset dataset;
  private final boolean[] showPoints;

  GapLineRenderer(XYDataset dataset) {
    super(true, true);
    this.dataset = dataset;
    this.showPoints = new boolean[dataset.getSeriesCount()];
    setDefaultShape(new Ellipse2D.Double(-3, -3, 6, 6));
    setAutoPopulateSeriesShape(false);
    setDrawSeriesLineAsPath(false); // segment by segment: a NaN end skips the segment
  }

  void showPoints(int series, boolean show) {
    showPoints[series] = show;
  }

  @Override
  public boolean getItemShapeVisible(int series, int item) {
    return showPoints[series] || isolated(series, item);
  }

  private boolean isolated(int series, int item) {
    if (Double.isNaN(dataset.getYValue(series, item))) {
      return false;
    }
    boolean before = item > 0 && !Double.isNaN(dataset.getYValue(series, item - 1));
    boolean after =
        item + 1 < dataset.getItemCount(series)
            && !Double.isNaN(dataset.getYValue(series, item + 1));
    return !before && !after;
  }
}
