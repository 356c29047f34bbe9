package dev.timestep.spark;

import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.nn.History;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.panel.GlobalModel;
import dev.timestep.pipeline.panel.GlobalTrainer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of the barrier stage of {@link TimestepGlobalTrainer}: trains the global model on its
 * shard of series ({@link GlobalTrainer#train}, no refit), averaging weights with the other tasks
 * through {@link AveragingCallback}. It returns one row: its partition, its model file (the shared
 * network with its own series' scalers and last rows), its loss and validation loss per epoch, and
 * the syncs made.
 */
final class GlobalTrainTask extends AbstractFunction1<Iterator<Row>, Iterator<Row>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final PerSeriesSpec spec;
  private final String valueName;
  private final String timeName;
  private final int syncEvery;

  GlobalTrainTask(PerSeriesSpec spec, String valueName, String timeName, int syncEvery) {
    this.spec = spec;
    this.valueName = valueName;
    this.timeName = timeName;
    this.syncEvery = syncEvery;
  }

  private record Obs(String id, LocalDateTime time, float value) {}

  @Override
  public Iterator<Row> apply(Iterator<Row> rows) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    List<Obs> obs = new ArrayList<>();
    boolean dates = true;
    for (java.util.Iterator<Row> it = CollectionConverters.asJava(rows); it.hasNext(); ) {
      Row r = it.next();
      Object t = r.get(1);
      dates &= t instanceof Date || t instanceof LocalDate;
      obs.add(
          new Obs(
              String.valueOf(r.get(0)),
              TrainPartition.time(t),
              r.isNullAt(2) ? Float.NaN : (float) r.getDouble(2)));
    }
    // Series in id order, whatever order the shuffle delivered the rows in.
    obs.sort(Comparator.comparing(Obs::id).thenComparing(Obs::time));
    int n = obs.size();
    String[] ids = new String[n];
    LocalDateTime[] times = new LocalDateTime[n];
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      ids[i] = obs.get(i).id();
      times[i] = obs.get(i).time();
      values[i] = obs.get(i).value();
    }
    int partition = ctx.partitionId();
    if (n == 0) {
      throw new IllegalArgumentException(
          "global training: partition "
              + partition
              + " holds no series; use fewer partitions than series");
    }
    ManySeries shard =
        LongFormat.group(
            "spark partition " + partition,
            dates ? TimeFormat.DATE : TimeFormat.DATE_TIME,
            ids,
            times,
            List.of(valueName),
            new float[][] {values});
    // A task alone has nothing to average with, and each barrier call costs an RPC round.
    ParameterExchange exchange =
        ctx.getTaskInfos().length == 1 ? m -> new String[] {m} : ctx::allGather;
    AveragingCallback averaging = new AveragingCallback(exchange, syncEvery);
    TrainingSettings s = spec.settings().withCallbacks(averaging);
    GlobalTrainer.Result r =
        GlobalTrainer.train(
            shard,
            valueName,
            s,
            GapFill.LINEAR,
            0,
            spec.season() > 0 ? spec.season() : null,
            "spark",
            timeName,
            false);
    try (GlobalModel m = r.model()) {
      History h = r.history();
      Row out =
          RowFactory.create(
              partition, bytes(m), h.get("loss"), h.get("val_loss"), averaging.syncs());
      TaskFaults.afterWork();
      return CollectionConverters.asScala(List.of(out).iterator());
    }
  }

  private static byte[] bytes(GlobalModel m) {
    try {
      Path file = Files.createTempFile("timestep-global-", ".tsm");
      try {
        m.save(file);
        return Files.readAllBytes(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("global training: cannot write the task's model", e);
    }
  }
}
