package dev.timestep.spark;

import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.data.series.transform.Bounds;
import dev.timestep.pipeline.SeriesEnsemble;
import dev.timestep.pipeline.SeriesModel;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition with the model this JVM loaded from the broadcast in batches of up to {@code
 * batchSize} windows: a plain model with one predict call per batch, an ensemble through {@link
 * SeriesEnsemble#forecastWindows} (one predict call per member and batch; members' median,
 * transform inverted, intervals), which equals its forecast of each window alone. Each output row
 * is the input row (or, grouped, its key) followed by the forecast, the spread (with MC samples) or
 * the intervals' bounds (an ensemble with intervals: lower and upper per level), and the error; a
 * row whose window cannot be read gets nulls and its error instead of failing the job.
 */
final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<byte[]> model;
  private final WindowInput input;
  private final int keep;
  private final int steps;
  private final int mcSamples;
  private final int batchSize;
  private final int levels;
  private final int kernelThreads;

  /**
   * @param keep how many leading input columns each output row repeats
   * @param steps values to forecast per window (0: the model's horizon)
   * @param levels the interval levels an ensemble's rows carry bounds of (0 for none)
   * @param kernelThreads the native kernel threads of each task ({@code spark.task.cpus})
   */
  ScorePartition(
      Broadcast<byte[]> model,
      WindowInput input,
      int keep,
      int steps,
      int mcSamples,
      int batchSize,
      int levels,
      int kernelThreads) {
    this.model = model;
    this.input = input;
    this.keep = keep;
    this.steps = steps;
    this.mcSamples = mcSamples;
    this.batchSize = batchSize;
    this.levels = levels;
    this.kernelThreads = kernelThreads;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    TaskThreads.setOnce(kernelThreads);
    SeriesEnsemble e = ExecutorModels.get(model.id(), model::value);
    int n = steps > 0 ? steps : e.horizon();
    return new Iterator<>() {
      private final List<Row> ready = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < ready.size()) {
          return true;
        }
        ready.clear();
        next = 0;
        if (rows.hasNext()) {
          if (e.isPlain()) {
            scoreBatch(e.members().get(0), n, rows, ready);
          } else {
            scoreEnsembleBatch(e, n, rows, ready);
          }
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }

  /**
   * Rows read together: the readable rows' windows in order, and per row null or why it cannot be
   * read.
   */
  private record Batch(List<Row> rows, List<float[]> windows, List<String> errors) {}

  /** The next rows, up to {@code batchSize} readable windows. */
  private Batch nextBatch(Iterator<Row> rows) {
    Batch b = new Batch(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    while (rows.hasNext() && b.windows().size() < batchSize) {
      Row r = rows.next();
      b.rows().add(r);
      try {
        b.windows().add(input.read(r));
        b.errors().add(null);
      } catch (IllegalArgumentException e) {
        b.errors().add(e.getMessage());
      }
    }
    return b;
  }

  /**
   * Up to {@code batchSize} windows through the ensemble's batched forecast. Rows whose window
   * cannot be read get their error; when the batch is refused (a window outside the transform's
   * domain), its rows are scored one by one so that only the bad row gets the error.
   */
  private void scoreEnsembleBatch(SeriesEnsemble e, int n, Iterator<Row> rows, List<Row> out) {
    Batch b = nextBatch(rows);
    List<Row> batch = b.rows();
    List<float[]> windows = b.windows();
    List<String> errors = b.errors();
    List<SeriesEnsemble.Forecast> forecasts = null;
    if (!windows.isEmpty()) {
      try {
        forecasts = e.forecastWindows(windows.toArray(new float[0][]), n);
      } catch (IllegalArgumentException ex) {
        for (int i = 0; i < batch.size(); i++) {
          out.add(
              errors.get(i) == null
                  ? scoreOne(e, n, batch.get(i))
                  : ensembleRow(batch.get(i), null, errors.get(i)));
        }
        return;
      }
    }
    int scored = 0;
    for (int i = 0; i < batch.size(); i++) {
      out.add(
          errors.get(i) == null
              ? ensembleRow(batch.get(i), forecasts.get(scored++), null)
              : ensembleRow(batch.get(i), null, errors.get(i)));
    }
  }

  /** One row through the ensemble's own forecast, so it equals a forecast in one process. */
  private Row scoreOne(SeriesEnsemble e, int n, Row row) {
    try {
      return ensembleRow(row, e.forecast(series(e, input.read(row)), n), null);
    } catch (IllegalArgumentException ex) {
      return ensembleRow(row, null, ex.getMessage());
    }
  }

  /** The kept columns, the forecast and the intervals' bounds (or nulls), and the error. */
  private Row ensembleRow(Row row, SeriesEnsemble.Forecast f, String error) {
    Object[] values = new Object[keep + 1 + 2 * levels + 1];
    for (int c = 0; c < keep; c++) {
      values[c] = row.get(c);
    }
    if (f != null) {
      values[keep] = f.point();
      // bounds stay null when the forecast is longer than the steps the intervals were calibrated
      // on
      for (int l = 0; l < f.intervals().size(); l++) {
        Bounds b = f.intervals().get(l);
        values[keep + 1 + 2 * l] = b.lower();
        values[keep + 2 + 2 * l] = b.upper();
      }
    }
    values[values.length - 1] = error;
    return RowFactory.create(values);
  }

  /** The window's values as a series of the model's columns (the times are not read). */
  private static TimeSeries series(SeriesEnsemble e, float[] window) {
    List<String> names = e.info().columns();
    int f = names.size();
    int rows = window.length / f;
    float[][] columns = new float[f][rows];
    List<LocalDateTime> times = new ArrayList<>();
    LocalDateTime start = LocalDateTime.of(2000, 1, 1, 0, 0);
    for (int t = 0; t < rows; t++) {
      times.add(start.plusDays(t));
      for (int c = 0; c < f; c++) {
        columns[c][t] = window[t * f + c];
      }
    }
    return TimeSeries.of("spark", TimeFormat.DATE_TIME, times, names, columns);
  }

  private void scoreBatch(SeriesModel m, int n, Iterator<Row> rows, List<Row> out) {
    Batch b = nextBatch(rows);
    List<Row> batch = b.rows();
    List<float[]> windows = b.windows();
    List<String> errors = b.errors();
    WindowScorer.Scores s =
        windows.isEmpty()
            ? null
            : WindowScorer.score(m, windows.toArray(new float[0][]), n, mcSamples);
    int scored = 0;
    for (int i = 0; i < batch.size(); i++) {
      Object[] values = new Object[keep + (mcSamples > 0 ? 3 : 2)];
      for (int c = 0; c < keep; c++) {
        values[c] = batch.get(i).get(c);
      }
      int at = keep;
      if (errors.get(i) == null) {
        values[at++] = s.mean()[scored];
        if (mcSamples > 0) {
          values[at++] = s.std()[scored];
        }
        scored++;
      } else {
        at += mcSamples > 0 ? 2 : 1;
      }
      values[at] = errors.get(i);
      out.add(RowFactory.create(values));
    }
  }
}
