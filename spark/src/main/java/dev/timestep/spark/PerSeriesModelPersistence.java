package dev.timestep.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.json4s.JObject;
import org.json4s.JString;
import org.json4s.JValue;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Saves a {@link TimestepPerSeriesModel} as Spark ML does for any stage (its metadata JSON, here
 * with the results' schema) and its results, the ensemble files' binary column included, as Parquet
 * under {@code data/} beside it, on any Hadoop file system.
 */
final class PerSeriesModelPersistence {
  static final String RESULTS = "data";
  private static final String SCHEMA = "resultsSchema";

  private PerSeriesModelPersistence() {}

  static final class Writer extends MLWriter {
    private final TimestepPerSeriesModel stage;

    Writer(TimestepPerSeriesModel stage) {
      this.stage = stage;
    }

    @Override
    public void saveImpl(String path) {
      // the schema is kept because Parquet reads every column back as nullable
      Tuple2<String, JValue> schema =
          new Tuple2<>(SCHEMA, new JString(stage.results().schema().json()));
      JObject extra = new JObject(CollectionConverters.asScala(List.of(schema)).toList());
      DefaultParamsWriter.saveMetadata(stage, path, sparkSession(), Option.apply(extra));
      stage.results().write().parquet(new Path(path, RESULTS).toString());
    }
  }

  static final class Reader extends MLReader<TimestepPerSeriesModel> {
    @Override
    public TimestepPerSeriesModel load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader.loadMetadata(
              path, sparkSession(), TimestepPerSeriesModel.class.getName());
      StructType schema = schemaOf(metadata, path);
      String[] names = schema.fieldNames();
      Dataset<Row> read =
          sparkSession()
              .read()
              .parquet(new Path(path, RESULTS).toString())
              .select(names[0], Arrays.copyOfRange(names, 1, names.length));
      TimestepPerSeriesModel m =
          new TimestepPerSeriesModel(
              metadata.uid(), sparkSession().createDataFrame(read.javaRDD(), schema));
      metadata.getAndSetParams(m, Option.empty());
      return m;
    }

    private static StructType schemaOf(DefaultParamsReader.Metadata metadata, String path) {
      if (metadata.metadata() instanceof JObject o) {
        for (Tuple2<String, JValue> f : CollectionConverters.asJava(o.obj())) {
          if (f._1().equals(SCHEMA) && f._2() instanceof JString s) {
            return (StructType) DataType.fromJson(s.s());
          }
        }
      }
      throw new IllegalArgumentException(
          "per-series model: the metadata under " + path + " lacks the results' schema");
    }
  }
}
