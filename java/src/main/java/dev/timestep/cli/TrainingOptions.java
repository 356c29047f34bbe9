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
  @Option(
      names = "--window",
      defaultValue = "50",
      description = "Input steps per forecast (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--epochs",
      defaultValue = "20",
      description = "Passes over the training windows (default: ${DEFAULT-VALUE}).")
  int epochs;

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
    TrainCommand.checkPositive("--window", window);
    TrainCommand.checkPositive("--horizon", horizon);
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
        window,
        horizon,
        epochs,
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
