package dev.timestep.spark;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.LinearInterpolation;
import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.Bounds;
import dev.timestep.pipeline.AutoTrainer;
import dev.timestep.pipeline.SeriesEnsemble;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Trains each series of a partition with the library's default workflow ({@link AutoTrainer}:
 * candidates chosen by backtest, refit on every kept row with several seeds, conformal intervals).
 * Input rows are (id, the series' (time, value) rows sorted by time); output rows are (id, the
 * ensemble's forecast from the end of the kept rows, its 80% interval, MASE of the holdout, the
 * chosen candidate, the members' epochs, rows, error[, ensemble file]). A series the workflow
 * refuses (too short, constant, ...) gets its reason as the error.
 */
final class TrainPartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final AutoSpec spec;
  private final String valueName;
  private final String timeName;
  private final boolean keepModels;
  private final int kernelThreads;

  /**
   * @param kernelThreads the native kernel threads of each task: an executor's cores divided by its
   *     concurrent tasks ({@code spark.task.cpus})
   */
  TrainPartition(
      AutoSpec spec, String valueName, String timeName, boolean keepModels, int kernelThreads) {
    this.spec = spec;
    this.valueName = valueName;
    this.timeName = timeName;
    this.keepModels = keepModels;
    this.kernelThreads = kernelThreads;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> groups) {
    TaskThreads.setOnce(kernelThreads);
    List<Row> out = new ArrayList<>();
    while (groups.hasNext()) {
      out.add(train(groups.next()));
    }
    TaskFaults.afterWork();
    return out.iterator();
  }

  private Row train(Row group) {
    Object key = group.get(0);
    String id = String.valueOf(key);
    List<Row> rows = group.getList(1);
    try {
      TimeSeries series = series(id, rows);
      AutoTrainer.Result r =
          AutoTrainer.run(
              series,
              valueName,
              "spark [" + id + "]",
              timeName,
              spec.settings(Backends.auto()),
              spec.holdout(),
              null);
      try (SeriesEnsemble e = r.ensemble()) {
        SeriesEnsemble.Forecast f = e.forecast(keptRows(series, spec.holdout()), spec.horizon());
        Bounds b80 = f.intervals().isEmpty() ? null : f.intervals().get(0);
        return row(
            key,
            f.point(),
            b80 == null ? null : b80.lower(),
            b80 == null ? null : b80.upper(),
            r.holdout() == null ? null : r.holdout().model().overallMase(),
            r.chosen().label(),
            r.memberEpochs(),
            rows.size(),
            null,
            keepModels ? ExecutorModels.toBytes(e) : null);
      }
    } catch (IllegalArgumentException e) {
      return row(key, null, null, null, null, null, null, rows.size(), e.getMessage(), null);
    }
  }

  /**
   * The rows the ensemble was refit on, gaps filled, as the workflow forecasts from them: the
   * forecast starts right after the last kept row.
   */
  static TimeSeries keptRows(TimeSeries series, int holdout) {
    TimeSeries kept = series.slice(0, series.length() - holdout);
    return kept.missingCount() > 0 ? LinearInterpolation.fill(kept) : kept;
  }

  private Row row(
      Object key,
      double[] forecast,
      double[] lower80,
      double[] upper80,
      Double mase,
      String chosen,
      int[] epochs,
      int rows,
      String error,
      byte[] model) {
    Object[] v = {key, forecast, lower80, upper80, mase, chosen, epochs, rows, error, model};
    return RowFactory.create(keepModels ? v : Arrays.copyOf(v, v.length - 1));
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
