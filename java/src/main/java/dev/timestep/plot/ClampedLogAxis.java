package dev.timestep.plot;

import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.ui.RectangleEdge;

/**
 * A log axis that places zero and negative values just below its lower end instead of at NaN. An
 * error bar mean - std that reaches below zero then runs off the bottom of the plot (clipped there)
 * instead of vanishing, which is what a reader of a log plot expects.
 */
final class ClampedLogAxis extends LogAxis {
  private static final long serialVersionUID = 1L;

  ClampedLogAxis(String label) {
    super(label);
  }

  @Override
  public double valueToJava2D(double value, Rectangle2D area, RectangleEdge edge) {
    double v = value <= 0 ? getRange().getLowerBound() / 10 : value;
    return super.valueToJava2D(v, area, edge);
  }
}
