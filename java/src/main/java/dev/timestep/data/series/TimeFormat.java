package dev.timestep.data.series;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How the time column of a series is written. A CSV file uses one format for every row: one of the
 * recognised formats below (found from the first row, every later row must match it), or a {@link
 * #ofPattern java.time pattern} the user names, such as {@code dd.MM.yyyy}. Times are written back
 * in the same format (forecast labels, model files).
 *
 * <p>Immutable; the recognised formats are constants compared with {@code ==}, patterns by {@link
 * #equals}.
 */
public final class TimeFormat {
  /**
   * ISO date-time, {@code 2001-12-29T10:30}, with a 'T' or a space, optionally an offset (converted
   * to UTC).
   */
  public static final TimeFormat DATE_TIME =
      new TimeFormat(
          "DATE_TIME",
          "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?",
          null);

  /** ISO date, {@code 2001-12-29}. */
  public static final TimeFormat DATE = new TimeFormat("DATE", "\\d{4}-\\d{2}-\\d{2}", null);

  /** ISO basic date, {@code 20011229} (the Mauna Loa file). */
  public static final TimeFormat BASIC_DATE = new TimeFormat("BASIC_DATE", "\\d{8}", null);

  /** ISO year and month, {@code 2001-12} (monthly series). */
  public static final TimeFormat YEAR_MONTH =
      new TimeFormat("YEAR_MONTH", "\\d{4}-\\d{2}", Period.ofMonths(1));

  /**
   * Year and quarter with a dash, {@code 1985-Q2} (quarterly series; a quarter is its first day).
   */
  public static final TimeFormat YEAR_DASH_QUARTER =
      new TimeFormat("YEAR_DASH_QUARTER", "\\d{4}-[Qq][1-4]", Period.ofMonths(3));

  /** Year and quarter with a space, {@code 1985 Q2}. */
  public static final TimeFormat YEAR_SPACE_QUARTER =
      new TimeFormat("YEAR_SPACE_QUARTER", "\\d{4} [Qq][1-4]", Period.ofMonths(3));

  /** Year and quarter run together, {@code 1985Q2} (as pandas writes a quarterly period). */
  public static final TimeFormat YEAR_QUARTER =
      new TimeFormat("YEAR_QUARTER", "\\d{4}[Qq][1-4]", Period.ofMonths(3));

  /** A plain year, {@code 1749} (the sunspot file). */
  public static final TimeFormat YEAR = new TimeFormat("YEAR", "\\d{1,4}", Period.ofYears(1));

  /** A decimal year, {@code 1958.2027}: the fraction is the elapsed part of that year. */
  public static final TimeFormat DECIMAL_YEAR =
      new TimeFormat("DECIMAL_YEAR", "\\d{1,4}\\.\\d+", null);

  /** The recognised formats, in the order {@link #recognise} tries them. */
  private static final List<TimeFormat> RECOGNISED =
      List.of(
          DATE_TIME,
          DATE,
          BASIC_DATE,
          YEAR_MONTH,
          YEAR_DASH_QUARTER,
          YEAR_SPACE_QUARTER,
          YEAR_QUARTER,
          YEAR,
          DECIMAL_YEAR);

  private final String name;
  private final Pattern shape;
  private final Period calendarStep;
  private final TimePattern pattern;

  private TimeFormat(String name, String shape, Period calendarStep) {
    this.name = name;
    this.shape = Pattern.compile(shape);
    this.calendarStep = calendarStep;
    this.pattern = null;
  }

  private TimeFormat(TimePattern pattern) {
    this.name = null;
    this.shape = null;
    this.calendarStep = pattern.calendarStep();
    this.pattern = pattern;
  }

  /**
   * A format given as a {@link DateTimeFormatter} pattern, e.g. {@code dd.MM.yyyy}, {@code
   * yyyy-MM}, {@code yyyy/MM/dd HH:mm} or {@code yyyy 'Q'Q}. Fields a pattern leaves out start at
   * their first value (a month on its 1st, a date at midnight); month and day names are English;
   * {@code yy} reads years 2000-2099, as java.time does.
   *
   * @throws IllegalArgumentException when the pattern is blank, not a valid pattern, or cannot read
   *     back a year from what it writes (e.g. {@code dd.MM}, {@code ww})
   */
  public static TimeFormat ofPattern(String pattern) {
    return new TimeFormat(TimePattern.of(pattern));
  }

  /** The recognised formats (not patterns), in the order {@link #recognise} tries them. */
  public static List<TimeFormat> recognised() {
    return RECOGNISED;
  }

  /** The recognised format called {@code name} (e.g. {@code "DATE"}), as {@link #name} says. */
  public static TimeFormat valueOf(String name) {
    for (TimeFormat f : RECOGNISED) {
      if (f.name.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown time format '" + Quoted.of(name) + "'");
  }

  /** The recognised format whose shape {@code text} has, or {@code null} when none does. */
  public static TimeFormat recognise(String text) {
    for (TimeFormat f : RECOGNISED) {
      if (f.matches(text)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The name of a recognised format ({@code DATE}, {@code YEAR_MONTH}, ...); null for a pattern.
   */
  public String name() {
    return name;
  }

  /** The pattern of a format made by {@link #ofPattern}; null for a recognised format. */
  public String pattern() {
    return pattern == null ? null : pattern.text();
  }

  /**
   * Whether {@code text} is written in this format. For a recognised format, whether it has the
   * shape (it may still name an impossible date such as 2001-02-30); for a pattern, whether it
   * parses.
   */
  public boolean matches(String text) {
    if (text == null) {
      return false;
    }
    if (pattern != null) {
      try {
        pattern.parse(text);
        return true;
      } catch (DateTimeException e) {
        return false;
      }
    }
    return shape.matcher(text).matches();
  }

  /**
   * The instant {@code text} names, as a local date-time (dates start at midnight, years on 1
   * January; a time with an offset or zone is converted to UTC).
   *
   * @throws IllegalArgumentException when the text is not in this format or names an impossible
   *     date such as 2001-02-30
   */
  public LocalDateTime parse(String text) {
    if (pattern != null) {
      try {
        return pattern.parse(text == null ? "" : text);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(
            "'" + Quoted.of(text) + "' does not match " + describe() + TimePattern.reason(e), e);
      }
    }
    if (!matches(text)) {
      throw new IllegalArgumentException("'" + Quoted.of(text) + "' is not a " + describe());
    }
    try {
      switch (name) {
        case "DATE_TIME":
          return parseDateTime(text.replace(' ', 'T'));
        case "DATE":
          return LocalDate.parse(text).atStartOfDay();
        case "BASIC_DATE":
          return LocalDate.parse(text, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay();
        case "YEAR_MONTH":
          return YearMonth.parse(text).atDay(1).atStartOfDay();
        case "YEAR_DASH_QUARTER":
        case "YEAR_SPACE_QUARTER":
        case "YEAR_QUARTER":
          int quarter = text.charAt(text.length() - 1) - '0';
          return LocalDate.of(Integer.parseInt(text.substring(0, 4)), 3 * quarter - 2, 1)
              .atStartOfDay();
        case "YEAR":
          return LocalDate.of(Integer.parseInt(text), 1, 1).atStartOfDay();
        case "DECIMAL_YEAR":
          return fromDecimalYear(Double.parseDouble(text));
        default:
          throw new IllegalStateException("unhandled time format " + name);
      }
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid " + describe(), e);
    }
  }

  /** {@code time} written in this format (a decimal year with four decimals). */
  public String format(LocalDateTime time) {
    if (pattern != null) {
      return pattern.format(time);
    }
    switch (name) {
      case "DATE":
        return time.toLocalDate().toString();
      case "BASIC_DATE":
        return time.format(DateTimeFormatter.BASIC_ISO_DATE);
      case "YEAR_MONTH":
        return YearMonth.from(time).toString();
      case "YEAR_DASH_QUARTER":
        return time.getYear() + "-Q" + quarterOf(time);
      case "YEAR_SPACE_QUARTER":
        return time.getYear() + " Q" + quarterOf(time);
      case "YEAR_QUARTER":
        return time.getYear() + "Q" + quarterOf(time);
      case "YEAR":
        return Integer.toString(time.getYear());
      case "DECIMAL_YEAR":
        return String.format(Locale.ROOT, "%.4f", toDecimalYear(time));
      default:
        return time.toString();
    }
  }

  /** A short description with an example, for error messages. */
  public String describe() {
    if (pattern != null) {
      return "the time format '" + pattern.text() + "' (e.g. " + pattern.example() + ")";
    }
    switch (name) {
      case "DATE_TIME":
        return "ISO date-time (e.g. 2001-12-29T10:30)";
      case "DATE":
        return "ISO date (e.g. 2001-12-29)";
      case "BASIC_DATE":
        return "basic ISO date (e.g. 20011229)";
      case "YEAR_MONTH":
        return "year-month (e.g. 2001-12)";
      case "YEAR_DASH_QUARTER":
        return "year-quarter (e.g. 1985-Q2)";
      case "YEAR_SPACE_QUARTER":
        return "year and quarter (e.g. 1985 Q2)";
      case "YEAR_QUARTER":
        return "year and quarter (e.g. 1985Q2)";
      case "YEAR":
        return "year (e.g. 1749)";
      case "DECIMAL_YEAR":
        return "decimal year (e.g. 1958.2027)";
      default:
        return name;
    }
  }

  /** Whether this format names quarters (its steps are three calendar months). */
  public boolean isQuarterly() {
    return Period.ofMonths(3).equals(calendarStep);
  }

  /**
   * The calendar step between rows when this format names whole years, quarters or months (whose
   * lengths vary): one year, three months or one month. Null for finer formats, whose series step
   * by a fixed duration.
   */
  public Period calendarStep() {
    return calendarStep;
  }

  /**
   * The recognised format that writes times of this one's resolution: itself for a recognised
   * format; for a pattern YEAR, YEAR_SPACE_QUARTER, YEAR_MONTH, DATE or DATE_TIME (what a reader
   * that does not know patterns uses instead).
   */
  public TimeFormat nearestRecognised() {
    return pattern == null ? this : pattern.nearestRecognised();
  }

  /**
   * The format a reader expects on a plot's time axis: this one, except dates for the compact and
   * decimal forms (2002-01-05, not 20020105 or 2002.0110) and a space, not a 'T', before a time of
   * day.
   */
  public TimeFormat readable() {
    if (this == BASIC_DATE || this == DECIMAL_YEAR) {
      return DATE;
    }
    return this == DATE_TIME ? ofPattern("yyyy-MM-dd HH:mm") : this;
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

  /** The time a decimal year names: the inverse of {@link #toDecimalYear}, to the second. */
  public static LocalDateTime fromDecimalYear(double decimalYear) {
    int year = (int) Math.floor(decimalYear);
    long seconds = Math.round((decimalYear - year) * secondsIn(year));
    return LocalDate.of(year, 1, 1).atStartOfDay().plusSeconds(seconds);
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

  private static double secondsIn(int year) {
    return Year.of(year).length() * 86_400.0;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof TimeFormat f
        && pattern != null
        && f.pattern != null
        && pattern.text().equals(f.pattern.text());
  }

  @Override
  public int hashCode() {
    return pattern == null ? name.hashCode() : pattern.text().hashCode();
  }

  /** The name of a recognised format, or {@code pattern 'dd.MM.yyyy'}. */
  @Override
  public String toString() {
    return pattern == null ? name : "pattern '" + pattern.text() + "'";
  }
}
