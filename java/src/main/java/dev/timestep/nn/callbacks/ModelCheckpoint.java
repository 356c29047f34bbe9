package dev.timestep.nn.callbacks;

import dev.timestep.io.AtomicFiles;
import dev.timestep.io.ModelFile;
import dev.timestep.nn.Callback;
import dev.timestep.nn.Model;
import dev.timestep.nn.Sequential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model after every epoch, as Keras' {@code ModelCheckpoint} with {@code
 * save_freq="epoch"}: monitor "val_loss", mode AUTO, every epoch unless {@code saveBestOnly}. The
 * path is a template filled from the epoch (1-based, as Keras numbers it) and the epoch's logs:
 * {@code "ckpt/model-{epoch:02d}-{val_loss:.4f}.tsm"} writes {@code ckpt/model-03-0.0213.tsm} after
 * the third epoch. Missing folders are created.
 *
 * <p>Files are written with {@link ModelFile#save}: atomically (a failed write leaves the previous
 * file as it was), with the weights and the optimizer state, so {@code ModelFile.load} can resume
 * training. A failed write ends the fit with {@link UncheckedIOException}.
 *
 * <p>With {@code saveBestOnly}, a file is written only when the monitored value beats the best seen
 * so far (or {@code initialValueThreshold}); as in Keras, the best is kept across fits of the same
 * checkpoint, so a later fit never replaces a better file with a worse one. Unlike Keras, which
 * warns and saves, a monitored value missing from the logs throws {@link IllegalArgumentException}.
 */
public final class ModelCheckpoint extends Callback {
  private final String template;
  private final PathTemplate path;
  private String monitorKey = "val_loss";
  private Mode mode = Mode.AUTO;
  private boolean saveBestOnly;
  private Monitor monitor;
  private Double best;
  private Path lastSaved;

  /**
   * Saves to {@code pathTemplate}, e.g. {@code "model-{epoch:02d}-{val_loss:.4f}.tsm"}.
   *
   * @throws IllegalArgumentException for a malformed template (unbalanced braces, a bad spec)
   */
  public ModelCheckpoint(String pathTemplate) {
    if (pathTemplate == null || pathTemplate.isBlank()) {
      throw new IllegalArgumentException("ModelCheckpoint needs a file path (template)");
    }
    this.template = pathTemplate;
    this.path = new PathTemplate(pathTemplate);
  }

  /** Saves to {@code file}, whose name may hold template fields. */
  public ModelCheckpoint(Path file) {
    this(file == null ? null : file.toString());
  }

  /** The value compared by {@code saveBestOnly}; "val_loss" by default. */
  public ModelCheckpoint monitor(String key) {
    new Monitor("ModelCheckpoint", key, mode);
    this.monitorKey = key;
    this.monitor = null;
    return this;
  }

  /** Whether lower or higher is better; AUTO (from the name) by default. */
  public ModelCheckpoint mode(Mode mode) {
    new Monitor("ModelCheckpoint", monitorKey, mode);
    this.mode = mode;
    this.monitor = null;
    return this;
  }

  /** Save only epochs that improve on the best so far; false (every epoch) by default. */
  public ModelCheckpoint saveBestOnly(boolean only) {
    this.saveBestOnly = only;
    return this;
  }

  /** A value the first saved epoch must already beat (with {@code saveBestOnly}). */
  public ModelCheckpoint initialValueThreshold(double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException(
          "ModelCheckpoint: initialValueThreshold must be finite, got " + threshold);
    }
    this.best = threshold;
    return this;
  }

  /** The path template given. */
  public String template() {
    return template;
  }

  /** The file written last; null before any. */
  public Path lastSaved() {
    return lastSaved;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    if (monitor == null) {
      monitor = new Monitor("ModelCheckpoint", monitorKey, mode);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Path file = Path.of(path.format(epoch + 1, logs));
    if (saveBestOnly) {
      double current = monitor.value(logs);
      if (best != null && !monitor.improves(current, best, 0)) {
        return;
      }
      if (best == null && Double.isNaN(current)) {
        return; // NaN is never an improvement
      }
      best = current;
    }
    try {
      AtomicFiles.createFolders(file);
      if (model() instanceof Model functional) {
        ModelFile.saveFunctional(functional, file);
      } else {
        ModelFile.save((Sequential) model(), file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "ModelCheckpoint could not save epoch " + (epoch + 1) + " to " + file, e);
    }
    lastSaved = file;
  }
}
