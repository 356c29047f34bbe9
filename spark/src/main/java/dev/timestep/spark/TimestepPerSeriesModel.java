package dev.timestep.spark;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The per-series ensembles {@link TimestepPerSeries#fit} trained: their {@link #results()} (one row
 * per id: forecast, lower_80, upper_80, MASE, chosen candidate, members' epochs, rows, error[,
 * ensemble file]). {@link #transform} gives the results of the ids of its input. It saves and loads
 * as any Spark ML model ({@link #write()}, {@link #load}), also as a stage of a {@code
 * PipelineModel}: the results are written as Parquet, the ensemble files included.
 *
 * <pre>{@code
 * fitted.write().overwrite().save("hdfs:///models/sales-per-store");
 * TimestepPerSeriesModel again = TimestepPerSeriesModel.load("hdfs:///models/sales-per-store");
 * }</pre>
 */
public final class TimestepPerSeriesModel extends Model<TimestepPerSeriesModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final transient Dataset<Row> results;

  TimestepPerSeriesModel(String uid, Dataset<Row> results) {
    this.uid = uid;
    this.results = results;
  }

  @Override
  public String uid() {
    return uid;
  }

  /** One row per id of the training data (cached after a fit, read lazily after a load). */
  public Dataset<Row> results() {
    return results;
  }

  /** The results of the ids in {@code dataset}'s first column named as the id column. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    String id = results.schema().fields()[0].name();
    Dataset<Row> ids = dataset.select(id).distinct();
    return ids.join(results, id);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return results.schema();
  }

  @Override
  public TimestepPerSeriesModel copy(ParamMap extra) {
    return (TimestepPerSeriesModel)
        copyValues(new TimestepPerSeriesModel(uid, results), extra).setParent(parent());
  }

  /** Writes the results (Parquet) and the metadata Spark ML reads back. */
  @Override
  public MLWriter write() {
    return new PerSeriesModelPersistence.Writer(this);
  }

  /** The reader of a saved model (also what a {@code PipelineModel} load calls). */
  public static MLReader<TimestepPerSeriesModel> read() {
    return new PerSeriesModelPersistence.Reader();
  }

  /** Loads a model saved with {@link #write()}. */
  public static TimestepPerSeriesModel load(String path) {
    return read().load(path);
  }
}
