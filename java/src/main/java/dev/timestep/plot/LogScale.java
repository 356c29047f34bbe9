package dev.timestep.plot;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.axis.TickUnits;

/**
 * Base-10 log value axes that say they are: the title ends in "(log scale)" and the ticks read
 * {@code 1e-3}, {@code 1e-2}, ... at whole decades, with unlabelled minor ticks at 2, 3, ..., 9
 * times each.
 */
final class LogScale {
  /** Data spanning fewer decades than this keep their own range, ticked finer than decades. */
  static final double MIN_DECADES_FOR_DECADE_RANGE = 0.5;

  /** Minor ticks between 1eN and 1eN+1 at 2eN, 3eN, ..., 9eN. */
  private static final int MINOR_PER_DECADE = 9;

  /** How far past the end decades the range reaches, relatively. */
  private static final double EDGE = 1e-9;

  private LogScale() {}

  /** The title a log axis of values called {@code label} gets. */
  static String title(String label) {
    return label + " (log scale)";
  }

  /** A log axis ticked at whole decades, its range left to the caller or to the data. */
  static LogAxis axis(String label) {
    LogAxis axis = new ClampedLogAxis(title(label));
    axis.setBase(10);
    axis.setMinorTickMarksVisible(true);
    axis.setNumberFormatOverride(new PowerOfTenFormat());
    TickUnits decades = new TickUnits();
    decades.add(new NumberTickUnit(1, new PowerOfTenFormat(), MINOR_PER_DECADE));
    for (int size : new int[] {2, 3, 5, 10, 20, 50, 100}) {
      decades.add(new NumberTickUnit(size, new PowerOfTenFormat(), 1));
    }
    axis.setStandardTickUnits(decades);
    return axis;
  }

  /**
   * A log axis for positive data from {@code low} to {@code high}: from the decade below to the
   * decade above, so that at least two ticks are labelled; data within half a decade keep their own
   * range, ticked at finer steps (2.5e-3, 3.2e-3, ...).
   */
  static LogAxis fitted(String label, double low, double high) {
    LogAxis axis = axis(label);
    if (Math.log10(high / low) >= MIN_DECADES_FOR_DECADE_RANGE) {
      // a hair past each decade: the axis takes logs as ln(v) / ln(10), which lands just inside
      // an exact decade (-2.9999999999999996 for 1e-3) and would drop its tick
      axis.setRange(
          Math.pow(10, Math.floor(Math.log10(low))) * (1 - EDGE),
          Math.pow(10, Math.ceil(Math.log10(high))) * (1 + EDGE));
    } else {
      axis.setStandardTickUnits(new NumberTickUnitSource(false, new PowerOfTenFormat()));
    }
    return axis;
  }
}
