package dev.timestep.data.series;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A user's java.time pattern as a time format: strict parsing (31.02.2001 is refused, not moved to
 * 28.02), fields the pattern leaves out at their first value, and the finest unit the pattern
 * writes, which says how its series steps.
 */
final class TimePattern {
  /** A time whose every field differs from the next unit's, to find what a pattern writes. */
  private static final LocalDateTime PROBE = LocalDateTime.of(2001, 2, 3, 4, 5, 6);

  /** Probes for the finest unit written, finest first, with the recognised format of that unit. */
  private static final List<Probe> PROBES =
      List.of(
          new Probe(t -> t.plusSeconds(1), null, TimeFormat.DATE_TIME),
          new Probe(t -> t.plusMinutes(1), null, TimeFormat.DATE_TIME),
          new Probe(t -> t.plusHours(1), null, TimeFormat.DATE_TIME),
          new Probe(t -> t.plusDays(1), null, TimeFormat.DATE),
          new Probe(t -> t.plusMonths(1), Period.ofMonths(1), TimeFormat.YEAR_MONTH),
          new Probe(t -> t.plusMonths(3), Period.ofMonths(3), TimeFormat.YEAR_SPACE_QUARTER),
          new Probe(t -> t.plusYears(1), Period.ofYears(1), TimeFormat.YEAR));

  private record Probe(UnaryOperator<LocalDateTime> next, Period step, TimeFormat nearest) {}

  private final String text;
  private final DateTimeFormatter formatter;
  private final Probe unit;

  private TimePattern(String text, DateTimeFormatter formatter, Probe unit) {
    this.text = text;
    this.formatter = formatter;
    this.unit = unit;
  }

  static TimePattern of(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "time format: expected a java.time pattern such as dd.MM.yyyy, got "
              + (text == null ? "null" : "'" + text + "'"));
    }
    DateTimeFormatter formatter;
    try {
      formatter =
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern(text)
              // yyyy is a year of an era: strict resolving needs the era, which is always ours
              .parseDefaulting(ChronoField.ERA, 1)
              .toFormatter(Locale.ENGLISH)
              .withResolverStyle(ResolverStyle.STRICT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "time format '" + Quoted.of(text) + "' is not a valid pattern: " + e.getMessage(), e);
    }
    TimePattern p = new TimePattern(text, formatter, null);
    Probe unit = null;
    try {
      String written = p.format(PROBE);
      for (Probe probe : PROBES) {
        if (!p.format(probe.next().apply(PROBE)).equals(written)) {
          unit = probe;
          break;
        }
      }
      // Reading back what it writes proves the pattern names a year and is self-consistent.
      for (LocalDateTime t : List.of(PROBE, PROBE.plusYears(13).plusMonths(7).plusDays(11))) {
        String out = p.format(t);
        if (!p.format(p.parse(out)).equals(out)) {
          throw new DateTimeException("reads '" + out + "' back as another time");
        }
      }
    } catch (DateTimeException e) {
      throw unusable(text, e);
    }
    if (unit == null) {
      throw unusable(text, new DateTimeException("it writes every time alike"));
    }
    return new TimePattern(text, formatter, unit);
  }

  private static IllegalArgumentException unusable(String text, DateTimeException e) {
    return new IllegalArgumentException(
        "time format '"
            + Quoted.of(text)
            + "' cannot name a time of a series: it must write the year (yyyy) and "
            + "whatever finer fields the series has, e.g. dd.MM.yyyy or yyyy-MM"
            + reason(e),
        e);
  }

  String text() {
    return text;
  }

  Period calendarStep() {
    return unit.step();
  }

  TimeFormat nearestRecognised() {
    return unit.nearest();
  }

  /** A sample time written in this pattern, for messages. */
  String example() {
    return format(LocalDateTime.of(2001, 12, 29, 10, 30));
  }

  String format(LocalDateTime time) {
    // An offset or zone in the pattern is written as UTC, the zone times are kept in.
    return formatter.format(time.atOffset(ZoneOffset.UTC));
  }

  /**
   * The time {@code text} names; with an offset or zone, converted to UTC.
   *
   * @throws DateTimeException when it does not match or names no valid time
   */
  LocalDateTime parse(String text) {
    TemporalAccessor a = formatter.parse(text);
    LocalDate date = a.query(TemporalQueries.localDate());
    if (date == null) {
      if (!a.isSupported(ChronoField.YEAR)) {
        throw new DateTimeException("the pattern names no year");
      }
      // getLong, not get: a lone quarter has no range to check against until it has a date
      int year = Math.toIntExact(a.getLong(ChronoField.YEAR));
      long month =
          a.isSupported(ChronoField.MONTH_OF_YEAR)
              ? a.getLong(ChronoField.MONTH_OF_YEAR)
              : a.isSupported(IsoFields.QUARTER_OF_YEAR)
                  ? 3 * a.getLong(IsoFields.QUARTER_OF_YEAR) - 2
                  : 1;
      date = LocalDate.of(year, (int) month, 1);
    }
    LocalTime time = a.query(TemporalQueries.localTime());
    LocalDateTime local = date.atTime(time == null ? LocalTime.MIDNIGHT : time);
    ZoneId zone = a.query(TemporalQueries.zone());
    return zone == null
        ? local
        : local.atZone(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
  }

  /** The useful part of a java.time message ("Invalid date 'FEBRUARY 30'"), after ": ". */
  static String reason(DateTimeException e) {
    String m = e.getMessage();
    if (m == null) {
      return "";
    }
    int cut = m.indexOf(": ");
    String tail = m.startsWith("Text '") && cut >= 0 ? m.substring(cut + 2) : m;
    if (tail.startsWith("Text '") && tail.contains("could not be parsed at index")) {
      return "";
    }
    return " (" + Quoted.of(tail) + ")";
  }
}
