package dev.timestep.data.series;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

/**
 * The season length a series most likely has, read from the step between its times: 12 for monthly,
 * 4 for quarterly, 52 for weekly, 7 for daily, 24 for hourly and 1 (none) for yearly series.
 * Irregular steps, and steps with no standard season (every 10 minutes, every 2 months), give 1
 * with a reason that says so. A skipped row (a step of two weeks among steps of one) does not
 * change the step.
 *
 * <p>Daily series get the weekly cycle, 7. Their other cycle is the year, 365 (and a weekly series'
 * year is 52.18 weeks, rounded to 52): give it with {@link #detect(TimeSeries, Integer)} when the
 * yearly pattern is the one that matters and the series covers several years.
 */
public final class Seasonality {
  /** Calendar steps from the longest, each with the season it implies. */
  private enum Step {
    YEAR("yearly", 1, "no season within a year"),
    QUARTER("quarterly", 4, "4 per year"),
    MONTH("monthly", 12, "12 per year"),
    WEEK("weekly", 52, "52 per year (a year is 52.18 weeks)"),
    DAY("daily", 7, "7 per week; give 365 for the yearly cycle instead"),
    HOUR("hourly", 24, "24 per day");

    final String adjective;
    final int period;
    final String why;

    Step(String adjective, int period, String why) {
      this.adjective = adjective;
      this.period = period;
      this.why = why;
    }

    /** How many of this step lead from a to b, or -1 when b is not a whole number of steps on. */
    long count(LocalDateTime a, LocalDateTime b) {
      switch (this) {
        case YEAR, QUARTER, MONTH -> {
          if (!a.toLocalTime().equals(b.toLocalTime()) || !sameDayOfMonth(a, b)) {
            return -1;
          }
          long months = ChronoUnit.MONTHS.between(YearMonth.from(a), YearMonth.from(b));
          long per = this == YEAR ? 12 : this == QUARTER ? 3 : 1;
          return months > 0 && months % per == 0 ? months / per : -1;
        }
        default -> {
          long seconds = Duration.between(a, b).getSeconds();
          long per = this == WEEK ? 7 * 86_400 : this == DAY ? 86_400 : 3_600;
          return seconds > 0 && seconds % per == 0 ? seconds / per : -1;
        }
      }
    }

    // The same day, or both the last day of their month (month-end dates: 31 Jan, 28 Feb, ...).
    private static boolean sameDayOfMonth(LocalDateTime a, LocalDateTime b) {
      return a.getDayOfMonth() == b.getDayOfMonth() || (isMonthEnd(a) && isMonthEnd(b));
    }

    private static boolean isMonthEnd(LocalDateTime t) {
      return t.getDayOfMonth() == t.toLocalDate().lengthOfMonth();
    }
  }

  private Seasonality() {}

  /** The season detected from the step between the times of {@code series}. */
  public static Season detect(TimeSeries series) {
    if (series == null) {
      throw new IllegalArgumentException("seasonality: expected a series, got null");
    }
    if (series.length() < 2) {
      return new Season(1, "1 row: no step to read a season from");
    }
    for (Step step : Step.values()) {
      long gcd = 0;
      boolean whole = true;
      for (int t = 1; t < series.length() && whole; t++) {
        long count = step.count(series.time(t - 1), series.time(t));
        whole = count > 0;
        gcd = gcd(gcd, count);
      }
      if (whole && gcd == 1) {
        return new Season(step.period, step.adjective + " steps: " + step.why);
      }
      if (whole) {
        return new Season(
            1, "steps of " + gcd + " " + unit(step) + ": no standard season, so none is used");
      }
    }
    return unusual(series);
  }

  /**
   * {@code given} when it is not null, else the detected season.
   *
   * @throws IllegalArgumentException when {@code given} is below 1
   */
  public static Season detect(TimeSeries series, Integer given) {
    return given != null ? Season.given(given) : detect(series);
  }

  /** No calendar step fits: regular steps of another size, or irregular ones. */
  private static Season unusual(TimeSeries series) {
    Duration smallest = null;
    for (int t = 1; t < series.length(); t++) {
      Duration d = Duration.between(series.time(t - 1), series.time(t));
      smallest = smallest == null || d.compareTo(smallest) < 0 ? d : smallest;
    }
    for (int t = 1; t < series.length(); t++) {
      Duration d = Duration.between(series.time(t - 1), series.time(t));
      if (d.toNanos() % smallest.toNanos() != 0) {
        return new Season(
            1,
            "irregular steps (row "
                + (t - 1)
                + " to "
                + t
                + " is "
                + words(d)
                + ", the shortest step is "
                + words(smallest)
                + "): no season");
      }
    }
    return new Season(1, "steps of " + words(smallest) + ": no standard season, so none is used");
  }

  private static String unit(Step step) {
    return switch (step) {
      case YEAR -> "years";
      case QUARTER -> "quarters";
      case MONTH -> "months";
      case WEEK -> "weeks";
      case DAY -> "days";
      case HOUR -> "hours";
    };
  }

  private static String words(Duration d) {
    long s = d.getSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + " days";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + " hours";
    }
    if (s % 60 == 0) {
      return s / 60 + " minutes";
    }
    return d.toString();
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
