package dev.timestep.spark;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The per-series ensembles {@link TimestepPerSeries#fit} trained: their {@link #results()} (one row
 * per id: forecast, lower_80, upper_80, MASE, chosen candidate, members' epochs, rows, error[,
 * ensemble file]). {@link #transform} gives the results of the ids of its input.
 */
public final class TimestepPerSeriesModel extends Model<TimestepPerSeriesModel> {
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

  /** One row per id of the training data, cached. */
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
}
