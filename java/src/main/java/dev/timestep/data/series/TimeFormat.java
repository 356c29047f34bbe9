package dev.timestep.data.series;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * How the time column of a series is written. A CSV file uses one format for every row; the format
 * is recognised from the first row and every later row must match it.
 */
public enum TimeFormat {
  /**
   * ISO date-time, {@code 2001-12-29T10:30}, with a 'T' or a space, optionally an offset (converted
   * to UTC).
   */
  DATE_TIME(
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?")),
  /** ISO date, {@code 2001-12-29}. */
  DATE(Pattern.compile("\\d{4}-\\d{2}-\\d{2}")),
  /** ISO basic date, {@code 20011229} (the Mauna Loa file). */
  BASIC_DATE(Pattern.compile("\\d{8}")),
  /** ISO year and month, {@code 2001-12} (monthly series). */
  YEAR_MONTH(Pattern.compile("\\d{4}-\\d{2}")),
  /**
   * Year and quarter with a dash, {@code 1985-Q2} (quarterly series; a quarter is its first day).
   */
  YEAR_DASH_QUARTER(Pattern.compile("\\d{4}-[Qq][1-4]")),
  /** Year and quarter with a space, {@code 1985 Q2}. */
  YEAR_SPACE_QUARTER(Pattern.compile("\\d{4} [Qq][1-4]")),
  /** Year and quarter run together, {@code 1985Q2} (as pandas writes a quarterly period). */
  YEAR_QUARTER(Pattern.compile("\\d{4}[Qq][1-4]")),
  /** A plain year, {@code 1749} (the sunspot file). */
  YEAR(Pattern.compile("\\d{1,4}")),
  /** A decimal year, {@code 1958.2027}: the fraction is the elapsed part of that year. */
  DECIMAL_YEAR(Pattern.compile("\\d{1,4}\\.\\d+"));

  private final Pattern pattern;

  TimeFormat(Pattern pattern) {
    this.pattern = pattern;
  }

  /** The format whose pattern {@code text} matches, or {@code null} when none does. */
  public static TimeFormat recognise(String text) {
    for (TimeFormat f : values()) {
      if (f.matches(text)) {
        return f;
      }
    }
    return null;
  }

  /** Whether {@code text} is written in this format (it may still name an impossible date). */
  public boolean matches(String text) {
    return text != null && pattern.matcher(text).matches();
  }

  /**
   * The instant {@code text} names, as a local date-time (dates start at midnight, years on 1
   * January).
   *
   * @throws IllegalArgumentException when the text does not match this format or names an
   *     impossible date such as 2001-02-30
   */
  public LocalDateTime parse(String text) {
    if (!matches(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a " + describe());
    }
    try {
      switch (this) {
        case DATE_TIME:
          return parseDateTime(text.replace(' ', 'T'));
        case DATE:
          return LocalDate.parse(text).atStartOfDay();
        case BASIC_DATE:
          return LocalDate.parse(text, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay();
        case YEAR_MONTH:
          return YearMonth.parse(text).atDay(1).atStartOfDay();
        case YEAR_DASH_QUARTER:
        case YEAR_SPACE_QUARTER:
        case YEAR_QUARTER:
          int quarter = text.charAt(text.length() - 1) - '0';
          return LocalDate.of(Integer.parseInt(text.substring(0, 4)), 3 * quarter - 2, 1)
              .atStartOfDay();
        case YEAR:
          return LocalDate.of(Integer.parseInt(text), 1, 1).atStartOfDay();
        case DECIMAL_YEAR:
          return fromDecimalYear(Double.parseDouble(text));
        default:
          throw new IllegalStateException("unhandled time format " + this);
      }
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid " + describe(), e);
    }
  }

  /** {@code time} written in this format (a decimal year with four decimals). */
  public String format(LocalDateTime time) {
    switch (this) {
      case DATE_TIME:
        return time.toString();
      case DATE:
        return time.toLocalDate().toString();
      case BASIC_DATE:
        return time.format(DateTimeFormatter.BASIC_ISO_DATE);
      case YEAR_MONTH:
        return YearMonth.from(time).toString();
      case YEAR_DASH_QUARTER:
        return time.getYear() + "-Q" + quarterOf(time);
      case YEAR_SPACE_QUARTER:
        return time.getYear() + " Q" + quarterOf(time);
      case YEAR_QUARTER:
        return time.getYear() + "Q" + quarterOf(time);
      case YEAR:
        return Integer.toString(time.getYear());
      case DECIMAL_YEAR:
        return String.format(java.util.Locale.ROOT, "%.4f", toDecimalYear(time));
      default:
        return time.toString();
    }
  }

  /** A short description with an example, for error messages. */
  public String describe() {
    switch (this) {
      case DATE_TIME:
        return "ISO date-time (e.g. 2001-12-29T10:30)";
      case DATE:
        return "ISO date (e.g. 2001-12-29)";
      case BASIC_DATE:
        return "basic ISO date (e.g. 20011229)";
      case YEAR_MONTH:
        return "year-month (e.g. 2001-12)";
      case YEAR_DASH_QUARTER:
        return "year-quarter (e.g. 1985-Q2)";
      case YEAR_SPACE_QUARTER:
        return "year and quarter (e.g. 1985 Q2)";
      case YEAR_QUARTER:
        return "year and quarter (e.g. 1985Q2)";
      case YEAR:
        return "year (e.g. 1749)";
      case DECIMAL_YEAR:
        return "decimal year (e.g. 1958.2027)";
      default:
        return name();
    }
  }

  /** Whether this format names quarters (its steps are three calendar months). */
  public boolean isQuarterly() {
    return this == YEAR_DASH_QUARTER || this == YEAR_SPACE_QUARTER || this == YEAR_QUARTER;
  }

  private static int quarterOf(LocalDateTime time) {
    return (time.getMonthValue() - 1) / 3 + 1;
  }

  /** A time as a decimal year (2001-07-02T12:00 is about 2001.5): a numeric axis for plots. */
  public static double toDecimalYear(LocalDateTime time) {
    LocalDateTime start = LocalDate.of(time.getYear(), 1, 1).atStartOfDay();
    double seconds = ChronoUnit.SECONDS.between(start, time);
    return time.getYear() + seconds / secondsIn(time.getYear());
  }

  private static LocalDateTime parseDateTime(String iso) {
    boolean hasOffset = iso.endsWith("Z") || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
    if (hasOffset) {
      return OffsetDateTime.parse(normaliseOffset(iso))
          .withOffsetSameInstant(ZoneOffset.UTC)
          .toLocalDateTime();
    }
    return LocalDateTime.parse(iso);
  }

  // ISO_OFFSET_DATE_TIME wants +hh:mm; files often write +hhmm.
  private static String normaliseOffset(String iso) {
    if (iso.endsWith("Z")) {
      return iso;
    }
    int sign = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
    String offset = iso.substring(sign + 1);
    return offset.length() == 4
        ? iso.substring(0, sign + 1) + offset.substring(0, 2) + ":" + offset.substring(2)
        : iso;
  }

  private static LocalDateTime fromDecimalYear(double decimalYear) {
    int year = (int) Math.floor(decimalYear);
    long seconds = Math.round((decimalYear - year) * secondsIn(year));
    return LocalDate.of(year, 1, 1).atStartOfDay().plusSeconds(seconds);
  }

  private static double secondsIn(int year) {
    return Year.of(year).length() * 86_400.0;
  }
}
