package dev.timestep.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * Saves a {@link TimestepForecaster} as Spark ML does for any stage (its params as metadata JSON)
 * and its model file, unchanged, as {@code data/model.tsm} beside it, on any Hadoop file system.
 */
final class ForecasterPersistence {
  static final String MODEL_FILE = "data/model.tsm";

  private ForecasterPersistence() {}

  static final class Writer extends MLWriter {
    private final TimestepForecaster stage;

    Writer(TimestepForecaster stage) {
      this.stage = stage;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
      Path file = new Path(path, MODEL_FILE);
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
          out.write(stage.modelBytes());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("timestep forecaster: cannot write " + file, e);
      }
    }
  }

  static final class Reader extends MLReader<TimestepForecaster> {
    @Override
    public TimestepForecaster load(String path) {
      DefaultParamsReader.Metadata metadata =
          DefaultParamsReader.loadMetadata(
              path, sparkSession(), TimestepForecaster.class.getName());
      Path file = new Path(path, MODEL_FILE);
      byte[] bytes;
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        try (InputStream in = fs.open(file)) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          in.transferTo(b);
          bytes = b.toByteArray();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "timestep forecaster: cannot read its model file " + file, e);
      }
      TimestepForecaster f = new TimestepForecaster(metadata.uid(), bytes);
      metadata.getAndSetParams(f, Option.empty());
      return f;
    }
  }
}
