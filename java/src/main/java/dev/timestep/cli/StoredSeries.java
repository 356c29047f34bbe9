package dev.timestep.cli;

import dev.timestep.data.series.Quoted;
import java.nio.file.Path;

/**
 * The CSV path a model file records for its training series. A model file is data, not
 * instructions: the path is stored relative to the model's own folder, and read back only inside
 * that folder, so a model file cannot make forecast read a file elsewhere, and a model moved with
 * its CSV keeps working from any working directory.
 */
final class StoredSeries {
  private StoredSeries() {}

  /**
   * What to record for {@code csv} in a model saved as {@code modelFile}: its path relative to the
   * model's folder when it is inside it, else its absolute path (which {@link #resolve} refuses,
   * asking for --csv).
   */
  static String path(Path csv, Path modelFile) {
    Path file = csv.toAbsolutePath().normalize();
    Path folder = folder(modelFile);
    Path stored = file.startsWith(folder) ? folder.relativize(file) : file;
    return stored.toString().replace(java.io.File.separatorChar, '/');
  }

  /**
   * The file a model file's stored path names: inside the model's folder, or an
   * IllegalArgumentException asking for --csv.
   */
  static Path resolve(String stored, Path modelFile) {
    Path folder = folder(modelFile);
    Path p;
    try {
      p = Path.of(stored);
    } catch (RuntimeException e) {
      throw outside(stored, modelFile);
    }
    Path file = folder.resolve(p).normalize();
    if (p.isAbsolute() || !file.startsWith(folder) || file.equals(folder)) {
      throw outside(stored, modelFile);
    }
    return file;
  }

  private static IllegalArgumentException outside(String stored, Path modelFile) {
    return new IllegalArgumentException(
        "model file "
            + modelFile
            + " was trained on the CSV file '"
            + Quoted.of(stored)
            + "', which is not inside the model's folder; a stored series is read only from there: give the series "
            + "with --csv FILE");
  }

  private static Path folder(Path modelFile) {
    return modelFile.toAbsolutePath().normalize().getParent();
  }
}
