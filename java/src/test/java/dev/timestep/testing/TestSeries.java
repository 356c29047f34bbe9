package dev.timestep.testing;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A small weekly series that trends and cycles, like the CO2 one but short and quick to learn:
 * {@code 100 + 0.02 t + 3 sin(2 pi t / period) + noise}, with chosen rows missing.
 */
public final class TestSeries {
  private TestSeries() {}

  /** Values for rows 0..n-1; NaN at {@code missing}. */
  public static float[] values(int n, int period, double noise, long seed, int... missing) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int t = 0; t < n; t++) {
      v[t] =
          (float)
              (100
                  + 0.02 * t
                  + 3 * Math.sin(2 * Math.PI * t / period)
                  + noise * (random.nextDouble() - 0.5));
    }
    for (int r : missing) {
      v[r] = Float.NaN;
    }
    return v;
  }

  /** Weekly times from 2000-01-01. */
  public static List<LocalDateTime> weeks(int n) {
    List<LocalDateTime> times = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      times.add(LocalDate.of(2000, 1, 1).plusWeeks(t).atStartOfDay());
    }
    return times;
  }

  /** The series as column {@code value}, weekly, named "test series". */
  public static TimeSeries weekly(float[] values) {
    return TimeSeries.of(
        "test series",
        TimeFormat.DATE,
        weeks(values.length),
        List.of("value"),
        new float[][] {values.clone()});
  }

  /** Writes it as CSV (date,value; missing values as empty cells). */
  public static Path writeCsv(Path file, float[] values) throws IOException {
    StringBuilder sb = new StringBuilder("date,value\n");
    List<LocalDateTime> times = weeks(values.length);
    for (int t = 0; t < values.length; t++) {
      sb.append(times.get(t).toLocalDate())
          .append(',')
          .append(Float.isNaN(values[t]) ? "" : String.format(Locale.ROOT, "%.4f", values[t]))
          .append('\n');
    }
    return Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Monthly from 2000-01, column {@code y}: a level that grows 1% a month and a seasonal swing of
   * +/- 30% of it, with 2% multiplicative noise.
   */
  public static TimeSeries multiplicativeMonthly(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int t = 0; t < n; t++) {
      double level = 100 * Math.pow(1.01, t);
      v[t] =
          (float)
              (level * (1 + 0.3 * Math.sin(2 * Math.PI * t / 12)) * (1 + 0.02 * r.nextGaussian()));
    }
    return monthly(v);
  }

  /** {@code values} as column {@code y}, monthly from 2000-01. */
  public static TimeSeries monthly(float[] values) {
    List<LocalDateTime> times = new ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      times.add(LocalDate.of(2000, 1, 1).plusMonths(t).atStartOfDay());
    }
    return TimeSeries.of(
        "test monthly", TimeFormat.YEAR_MONTH, times, List.of("y"), new float[][] {values.clone()});
  }
}
