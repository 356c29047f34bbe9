package dev.timestep.spark;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.SeriesRefit;
import dev.timestep.pipeline.panel.IdForecast;
import dev.timestep.pipeline.panel.PerSeries;
import dev.timestep.pipeline.panel.PerSeriesModels;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Trains the model of each series of a partition with the single-series workflow ({@link
 * PerSeries#trainOne}: epochs chosen on a split, refit on every row but the holdout, which is
 * scored). Input rows are (id, the series' (time, value) rows sorted by time); output rows are (id,
 * forecast from the end of the kept rows, MASE of the holdout, epochs, rows, error[, model file]).
 * A series its workflow refuses (too short, constant, ...) gets its reason as the error.
 */
final class TrainPartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  private static volatile boolean threadsSet;

  private final PerSeriesSpec spec;
  private final String valueName;
  private final String timeName;
  private final boolean keepModels;
  private final int kernelThreads;

  /**
   * @param kernelThreads the native kernel threads of each task: an executor's cores divided by its
   *     concurrent tasks ({@code spark.task.cpus})
   */
  TrainPartition(
      PerSeriesSpec spec,
      String valueName,
      String timeName,
      boolean keepModels,
      int kernelThreads) {
    this.spec = spec;
    this.valueName = valueName;
    this.timeName = timeName;
    this.keepModels = keepModels;
    this.kernelThreads = kernelThreads;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> groups) {
    setThreadsOnce(kernelThreads);
    List<Row> out = new ArrayList<>();
    while (groups.hasNext()) {
      out.add(train(groups.next()));
    }
    return out.iterator();
  }

  /** Tasks x threads stay within the executor's cores: every task of a JVM shares its kernels. */
  private static void setThreadsOnce(int threads) {
    if (!threadsSet) {
      synchronized (TrainPartition.class) {
        if (!threadsSet) {
          CpuBackend.setThreads(threads);
          threadsSet = true;
        }
      }
    }
  }

  private Row train(Row group) {
    Object key = group.get(0);
    String id = String.valueOf(key);
    List<Row> rows = group.getList(1);
    try {
      TimeSeries series = series(id, rows);
      SeriesRefit.Result r =
          PerSeries.trainOne(
              id,
              series,
              valueName,
              spec.settings(),
              GapFill.LINEAR,
              spec.holdout(),
              spec.season() > 0 ? spec.season() : null,
              "spark",
              timeName);
      try (PerSeriesModels one =
          new PerSeriesModels(
              Map.of(id, r.model()),
              r.holdout() == null ? Map.of() : Map.of(id, r.holdout()),
              List.of())) {
        IdForecast f = one.forecast(id, spec.horizon(), 0);
        Double mase = r.holdout() == null ? null : r.holdout().model().overallMase();
        return row(
            key,
            f.mean(),
            mase,
            r.epochs(),
            rows.size(),
            null,
            keepModels ? ExecutorModels.toBytes(r.model()) : null);
      }
    } catch (IllegalArgumentException e) {
      return row(key, null, null, null, rows.size(), e.getMessage(), null);
    }
  }

  private Row row(
      Object key,
      double[] forecast,
      Double mase,
      Integer epochs,
      int rows,
      String error,
      byte[] model) {
    return keepModels
        ? RowFactory.create(key, forecast, mase, epochs, rows, error, model)
        : RowFactory.create(key, forecast, mase, epochs, rows, error);
  }

  /** The series of one id; a null value is missing (NaN), filled as the workflow fills gaps. */
  private TimeSeries series(String id, List<Row> rows) {
    LocalDateTime[] times = new LocalDateTime[rows.size()];
    float[] values = new float[rows.size()];
    TimeFormat format = TimeFormat.DATE;
    for (int i = 0; i < times.length; i++) {
      Row r = rows.get(i);
      Object t = r.get(0);
      if (!(t instanceof Date) && !(t instanceof LocalDate)) {
        format = TimeFormat.DATE_TIME;
      }
      times[i] = time(t);
      values[i] = r.isNullAt(1) ? Float.NaN : (float) r.getDouble(1);
    }
    return LongFormat.series(id, format, times, List.of(valueName), new float[][] {values});
  }

  static LocalDateTime time(Object t) {
    if (t instanceof Timestamp ts) {
      return ts.toLocalDateTime();
    }
    if (t instanceof Date d) {
      return d.toLocalDate().atStartOfDay();
    }
    if (t instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (t instanceof Instant i) {
      return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
    if (t instanceof LocalDateTime d) {
      return d;
    }
    throw new IllegalArgumentException("the time is missing or not a date or timestamp: " + t);
  }
}
