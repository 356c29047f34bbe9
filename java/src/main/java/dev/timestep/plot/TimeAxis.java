package dev.timestep.plot;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Function;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.TickUnits;

/**
 * The horizontal axis of a series given with its times: dates where a reader expects dates, ticked
 * on calendar boundaries (days, months, years) never closer than the series' own step, so a
 * quarterly series is not labelled three times per quarter.
 */
final class TimeAxis {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  /** Tick spacings to choose from, finest first. */
  private static final DateTickUnit[] UNITS = {
    new DateTickUnit(DateTickUnitType.MINUTE, 1),
    new DateTickUnit(DateTickUnitType.MINUTE, 5),
    new DateTickUnit(DateTickUnitType.MINUTE, 15),
    new DateTickUnit(DateTickUnitType.MINUTE, 30),
    new DateTickUnit(DateTickUnitType.HOUR, 1),
    new DateTickUnit(DateTickUnitType.HOUR, 3),
    new DateTickUnit(DateTickUnitType.HOUR, 6),
    new DateTickUnit(DateTickUnitType.HOUR, 12),
    new DateTickUnit(DateTickUnitType.DAY, 1),
    new DateTickUnit(DateTickUnitType.DAY, 2),
    new DateTickUnit(DateTickUnitType.DAY, 7),
    new DateTickUnit(DateTickUnitType.DAY, 14),
    new DateTickUnit(DateTickUnitType.MONTH, 1),
    new DateTickUnit(DateTickUnitType.MONTH, 3),
    new DateTickUnit(DateTickUnitType.MONTH, 6),
    new DateTickUnit(DateTickUnitType.YEAR, 1),
    new DateTickUnit(DateTickUnitType.YEAR, 2),
    new DateTickUnit(DateTickUnitType.YEAR, 5),
    new DateTickUnit(DateTickUnitType.YEAR, 10),
    new DateTickUnit(DateTickUnitType.YEAR, 20),
    new DateTickUnit(DateTickUnitType.YEAR, 50),
    new DateTickUnit(DateTickUnitType.YEAR, 100),
    new DateTickUnit(DateTickUnitType.YEAR, 500),
  };

  private TimeAxis() {}

  /** The x value a plot gives {@code time}: milliseconds since 1970-01-01T00:00 UTC. */
  static double x(LocalDateTime time) {
    return time.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /**
   * An axis titled {@code label} whose ticks read as {@code format} writes a time, for x values
   * from {@link #x} spaced {@code x} apart (at least their median spacing between ticks).
   */
  static DateAxis of(String label, Function<LocalDateTime, String> format, double[] x) {
    DateAxis axis = new DateAxis(label, UTC, Locale.ROOT);
    axis.setDateFormatOverride(new TimeTickFormat(format));
    axis.setStandardTickUnits(units(medianStep(x)));
    return axis;
  }

  /**
   * The tick spacings no finer than a tenth below {@code stepMillis} (one step for short series).
   */
  static TickUnits units(double stepMillis) {
    TickUnits units = new TickUnits();
    for (DateTickUnit u : UNITS) {
      // a month counts as 31 days here; a 28-day February step still means monthly
      if (u.getSize() >= 0.85 * stepMillis || u == UNITS[UNITS.length - 1]) {
        units.add(u);
      }
    }
    return units;
  }

  private static double medianStep(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double[] steps = new double[x.length - 1];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = x[i + 1] - x[i];
    }
    Arrays.sort(steps);
    return steps[steps.length / 2];
  }
}
