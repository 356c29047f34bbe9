package dev.timestep.spark;

import dev.timestep.backend.Backends;
import dev.timestep.pipeline.SeriesEnsemble;
import dev.timestep.pipeline.SeriesModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The models one JVM (an executor, or the driver in local mode) has loaded, one per broadcast,
 * shared by every task that runs there: predicting is read-only, so concurrent tasks share one
 * model. They are closed when the JVM ends, which frees their native memory.
 */
final class ExecutorModels {
  private static final Map<Long, SeriesEnsemble> MODELS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorModels::closeAll, "timestep-spark-models"));
  }

  private ExecutorModels() {}

  /**
   * The model of broadcast {@code id}, loaded from {@code bytes} the first time it is asked for.
   */
  static SeriesEnsemble get(long id, Supplier<byte[]> bytes) {
    return MODELS.computeIfAbsent(id, k -> fromBytes(bytes.get()));
  }

  /**
   * Loads a model file's bytes on the JVM's backend ({@link Backends#auto}): an ensemble, or a
   * plain model as an ensemble of one.
   */
  static SeriesEnsemble fromBytes(byte[] bytes) {
    try {
      Path file = Files.createTempFile("timestep-spark-", ".tsm");
      try {
        Files.write(file, bytes);
        return SeriesEnsemble.load(file, Backends.auto());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("timestep-spark: cannot load the broadcast model", e);
    }
  }

  /** The bytes of a model file written by {@link SeriesModel#save}. */
  static byte[] toBytes(SeriesModel model) {
    return bytesOf(model::save);
  }

  /** The bytes of an ensemble file written by {@link SeriesEnsemble#save}. */
  static byte[] toBytes(SeriesEnsemble ensemble) {
    return bytesOf(ensemble::save);
  }

  private interface Saver {
    void save(Path file) throws IOException;
  }

  private static byte[] bytesOf(Saver saver) {
    try {
      Path file = Files.createTempFile("timestep-spark-", ".tsm");
      try {
        saver.save(file);
        return Files.readAllBytes(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("timestep-spark: cannot write the model's bytes", e);
    }
  }

  private static void closeAll() {
    MODELS.values().forEach(SeriesEnsemble::close);
    MODELS.clear();
  }
}
