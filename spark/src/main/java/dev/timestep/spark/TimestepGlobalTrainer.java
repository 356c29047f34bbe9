package dev.timestep.spark;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.ColumnScaler;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.SeriesTail;
import dev.timestep.pipeline.panel.GlobalModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * One global model over every series of a long-format table (id, time, value), trained with
 * synchronous data parallelism on Spark's barrier execution mode: the series are split by id into
 * {@code partitions} shards, one task per shard, all started together; each task trains on the
 * windows of its own series (each scaled by its own scaler, as {@code GlobalTrainer} does) and
 * every {@code syncEvery} batches, and at each epoch's end, the tasks replace their weights by the
 * mean of all tasks' weights (Adam's moments stay each task's own; see {@link AveragingCallback}).
 * The result is one network with every series' scaler and last rows.
 *
 * <p>With one partition the training is {@code GlobalTrainer.train} (no refit) on the series in id
 * order, bit for bit. With more, each task validates on its own shard; the curves are returned.
 *
 * <pre>{@code
 * TimestepGlobalTrainer.Result r = new TimestepGlobalTrainer().setModel("lstm").setWindow(12)
 *     .setPartitions(8).setSyncEvery(4).train(history);   // columns id, time, value
 * try (GlobalModel m = r.model()) { m.save(Path.of("global.tsm")); }
 * }</pre>
 */
public final class TimestepGlobalTrainer {
  private String idCol = "id";
  private String timeCol = "time";
  private String valueCol = "value";
  private String model = "linear";
  private int window = 12;
  private int horizon = 1;
  private int epochs = 20;
  private int batchSize = 32;
  private double learningRate;
  private int season;
  private long seed;
  private int partitions = 2;
  private int syncEvery = 1;

  /**
   * What the training produced.
   *
   * @param model the global model (the caller closes it)
   * @param loss per task (partition), its training loss per epoch
   * @param valLoss per task, its validation loss per epoch (on its own shard)
   * @param syncs weight averages each task made
   */
  public record Result(GlobalModel model, double[][] loss, double[][] valLoss, int syncs) {}

  public TimestepGlobalTrainer setIdCol(String v) {
    idCol = v;
    return this;
  }

  public TimestepGlobalTrainer setTimeCol(String v) {
    timeCol = v;
    return this;
  }

  public TimestepGlobalTrainer setValueCol(String v) {
    valueCol = v;
    return this;
  }

  /**
   * @throws IllegalArgumentException for a name that is not a chapter model
   */
  public TimestepGlobalTrainer setModel(String v) {
    ChapterModels.named(v);
    model = v;
    return this;
  }

  public TimestepGlobalTrainer setWindow(int v) {
    window = atLeast(1, v, "window");
    return this;
  }

  public TimestepGlobalTrainer setHorizon(int v) {
    horizon = atLeast(1, v, "horizon");
    return this;
  }

  public TimestepGlobalTrainer setEpochs(int v) {
    epochs = atLeast(1, v, "epochs");
    return this;
  }

  public TimestepGlobalTrainer setBatchSize(int v) {
    batchSize = atLeast(1, v, "batch size");
    return this;
  }

  /** Adam's learning rate; 0 (the default) for the book's rate for the model. */
  public TimestepGlobalTrainer setLearningRate(double v) {
    if (!(v >= 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(
          "global training: learning rate must be 0 (the model's own) or positive, got " + v);
    }
    learningRate = v;
    return this;
  }

  /** The seasonal period of the holdout scores; 0 to detect it. */
  public TimestepGlobalTrainer setSeason(int v) {
    season = atLeast(0, v, "season");
    return this;
  }

  public TimestepGlobalTrainer setSeed(long v) {
    seed = v;
    return this;
  }

  /** Shards, one barrier task each; every shard must hold a trainable series. */
  public TimestepGlobalTrainer setPartitions(int v) {
    partitions = atLeast(1, v, "partitions");
    return this;
  }

  /** Batches between weight averages (k); each epoch also ends with one. */
  public TimestepGlobalTrainer setSyncEvery(int v) {
    syncEvery = atLeast(1, v, "syncEvery");
    return this;
  }

  private static int atLeast(int min, int v, String what) {
    if (v < min) {
      throw new IllegalArgumentException(
          "global training: " + what + " must be at least " + min + ", got " + v);
    }
    return v;
  }

  /**
   * Trains on {@code data}'s id, time (date or timestamp) and numeric value columns.
   *
   * @throws IllegalArgumentException when a column is missing or of the wrong type
   * @throws org.apache.spark.SparkException when a task fails every attempt (e.g. a shard with no
   *     trainable series); a failed task fails its barrier stage, which Spark retries as a whole
   *     (up to {@code spark.stage.maxConsecutiveAttempts} times), with the same result
   */
  public Result train(Dataset<?> data) {
    // The same checks, names and messages as the per-series estimator's.
    new TimestepPerSeries()
        .setIdCol(idCol)
        .setTimeCol(timeCol)
        .setValueCol(valueCol)
        .transformSchema(data.schema());
    PerSeriesSpec spec =
        new PerSeriesSpec(model, window, horizon, epochs, batchSize, learningRate, 0, season, seed);
    spec.settings();
    int slots = data.sparkSession().sparkContext().defaultParallelism();
    if (partitions > slots) {
      throw new IllegalArgumentException(
          "global training: "
              + partitions
              + " partitions need as many task slots at once (barrier mode), but the cluster has "
              + slots);
    }
    RDD<Row> shards =
        data.select(
                functions.col(idCol),
                functions.col(timeCol),
                functions.col(valueCol).cast(DataTypes.DoubleType))
            .repartition(partitions, functions.col(idCol))
            .rdd();
    ClassTag<Row> rowTag = ClassTag$.MODULE$.apply(Row.class);
    RDD<Row> trained =
        shards
            .barrier()
            .mapPartitions(new GlobalTrainTask(spec, valueCol, timeCol, syncEvery), false, rowTag);
    // Spark retries a failed barrier stage only when it is a shuffle map stage (a failed barrier
    // result stage aborts the job), so the tasks' rows pass through a shuffle before collect.
    List<Row> rows = new ArrayList<>(new JavaRDD<>(trained, rowTag).repartition(1).collect());
    rows.sort((a, b) -> Integer.compare(a.getInt(0), b.getInt(0)));
    return merge(rows);
  }

  /** The first task's network with every task's scalers and last rows. */
  private static Result merge(List<Row> rows) {
    double[][] loss = new double[rows.size()][];
    double[][] valLoss = new double[rows.size()][];
    List<GlobalModel> parts = new ArrayList<>();
    try {
      Map<String, ColumnScaler> scalers = new LinkedHashMap<>();
      Map<String, SeriesTail> tails = new LinkedHashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        GlobalModel part = load((byte[]) r.get(1));
        parts.add(part);
        for (String id : part.ids()) {
          scalers.put(id, part.scaler(id));
          tails.put(id, part.tail(id));
        }
        loss[i] = (double[]) r.get(2);
        valLoss[i] = (double[]) r.get(3);
      }
      GlobalModel first = parts.get(0);
      GlobalModel all = new GlobalModel(first.network(), first.scalerKind(), scalers, tails);
      parts.remove(0); // its network is the merged model's now
      return new Result(all, loss, valLoss, rows.get(0).getInt(4));
    } finally {
      parts.forEach(GlobalModel::close);
    }
  }

  private static GlobalModel load(byte[] bytes) {
    try {
      Path file = Files.createTempFile("timestep-global-", ".tsm");
      try {
        Files.write(file, bytes);
        return GlobalModel.load(file, Backends.auto());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("global training: cannot read a task's model", e);
    }
  }
}
