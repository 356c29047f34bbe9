package dev.timestep.plot;

import java.text.DateFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import java.util.function.Function;

/**
 * Tick labels of a time axis, written as the series writes its times (2002-01-05, 1985-04, 1985 Q2,
 * ...). Times are kept in UTC, as the plots place them. Formatting only: it parses nothing.
 */
final class TimeTickFormat extends DateFormat {
  private static final long serialVersionUID = 1L;

  private final transient Function<LocalDateTime, String> label;

  TimeTickFormat(Function<LocalDateTime, String> label) {
    this.label = label;
    // DateFormat's equals, hashCode and clone read these
    this.calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT);
    this.numberFormat = NumberFormat.getIntegerInstance(Locale.ROOT);
  }

  /** The label of the time {@code millis} after 1970-01-01T00:00 UTC. */
  String text(long millis) {
    return label.apply(
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(millis, 1000L),
            (int) Math.floorMod(millis, 1000L) * 1_000_000,
            ZoneOffset.UTC));
  }

  @Override
  public StringBuffer format(Date date, StringBuffer toAppendTo, FieldPosition fieldPosition) {
    return toAppendTo.append(text(date.getTime()));
  }

  /** Never parses: returns null and leaves {@code pos} unchanged, as the contract allows. */
  @Override
  public Date parse(String source, ParsePosition pos) {
    return null;
  }
}
