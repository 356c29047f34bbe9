package dev.timestep.cli;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.models.ChapterModel;
import dev.timestep.pipeline.TrainingSettings;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every command that trains a chapter model shares ({@code train}, {@code backtest}):
 * window, epochs, batch, learning rate, scaler, seed and backend, with their checks and the {@link
 * TrainingSettings} they make.
 */
final class TrainingOptions {
  /** Window and epochs of the single-split workflows (--split, --refit, backtest). */
  static final int SPLIT_WINDOW = 50;

  static final int SPLIT_EPOCHS = 20;

  @Option(
      names = "--window",
      paramLabel = "N",
      description =
          "Input steps per forecast (default: two seasons where the rows allow, 12 or 2 x horizon "
              + "without a season; "
              + SPLIT_WINDOW
              + " with --split, --refit and for backtest).")
  Integer window;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description =
          "The most passes over the training windows (default: enough for about 1500 optimizer steps, "
              + "30 to 300, ended by early stopping; "
              + SPLIT_EPOCHS
              + " with --split, --refit and for backtest).")
  Integer epochs;

  /** The window of the single-split workflows. */
  int splitWindow() {
    return window != null ? window : SPLIT_WINDOW;
  }

  /** The epochs of the single-split workflows. */
  int splitEpochs() {
    return epochs != null ? epochs : SPLIT_EPOCHS;
  }

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "Windows per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--learning-rate",
      paramLabel = "RATE",
      description = "Adam's learning rate (default: the book's for the model, 0.001 for most).")
  Double learningRate;

  @Option(
      names = "--scaler",
      defaultValue = "standard",
      description =
          "standard (mean 0, std 1) or minmax ([0, 1]), fitted on the training rows (default:"
              + " ${DEFAULT-VALUE}).")
  String scaler;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description =
          "Seed of the weights, the shuffling and the generator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "auto, cuda, cpu or reference (default: ${DEFAULT-VALUE}).")
  String backend;

  /**
   * Refuses a window or learning rate no training can use, and a window and horizon no series can
   * hold, before any work.
   */
  void check(int horizon) {
    int window = splitWindow();
    TrainCommand.checkPositive("--window", window);
    TrainCommand.checkPositive("--horizon", horizon);
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    if ((long) window + horizon > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "--window "
              + window
              + " + --horizon "
              + horizon
              + " is more than the "
              + Integer.MAX_VALUE
              + " steps a series can have");
    }
    if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
      // NaN would silently mean "the model's default" further down.
      throw new IllegalArgumentException(
          "--learning-rate must be a positive finite number, got " + learningRate);
    }
  }

  /** The settings these options give, with what each command decides itself. */
  TrainingSettings settings(
      ChapterModel model,
      int horizon,
      boolean relative,
      double dropout,
      List<dev.timestep.nn.Callback> callbacks) {
    Backend b = Backends.named(backend);
    return new TrainingSettings(
        model,
        splitWindow(),
        horizon,
        splitEpochs(),
        batchSize,
        learningRate == null ? Double.NaN : learningRate,
        scaler,
        relative,
        dropout,
        seed,
        b,
        callbacks);
  }
}
