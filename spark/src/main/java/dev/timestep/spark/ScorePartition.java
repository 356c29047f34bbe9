package dev.timestep.spark;

import dev.timestep.pipeline.SeriesModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition in batches of up to {@code batchSize} windows per predict call, with the
 * model this JVM loaded from the broadcast. Each output row is the input row (or, grouped, its key)
 * followed by the forecast, the spread (with MC samples) and the error; a row whose window cannot
 * be read gets nulls and its error instead of failing the job.
 */
final class ScorePartition implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<byte[]> model;
  private final WindowInput input;
  private final int keep;
  private final int steps;
  private final int mcSamples;
  private final int batchSize;

  /**
   * @param keep how many leading input columns each output row repeats
   * @param steps values to forecast per window (0: the model's horizon)
   */
  ScorePartition(
      Broadcast<byte[]> model,
      WindowInput input,
      int keep,
      int steps,
      int mcSamples,
      int batchSize) {
    this.model = model;
    this.input = input;
    this.keep = keep;
    this.steps = steps;
    this.mcSamples = mcSamples;
    this.batchSize = batchSize;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    SeriesModel m = ExecutorModels.get(model.id(), model::value);
    int n = steps > 0 ? steps : m.info().horizon();
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
          scoreBatch(m, n, rows, ready);
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

  private void scoreBatch(SeriesModel m, int n, Iterator<Row> rows, List<Row> out) {
    List<Row> batch = new ArrayList<>();
    List<float[]> windows = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    while (rows.hasNext() && windows.size() < batchSize) {
      Row r = rows.next();
      batch.add(r);
      try {
        windows.add(input.read(r));
        errors.add(null);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
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
