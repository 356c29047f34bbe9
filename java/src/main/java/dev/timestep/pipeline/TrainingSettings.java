package dev.timestep.pipeline;

import dev.timestep.backend.Backend;
import dev.timestep.models.ChapterModel;
import dev.timestep.nn.Callback;
import java.util.List;
import java.util.Locale;

/**
 * How {@link SeriesTrainer} trains: which chapter model, on which windows, for how long.
 *
 * @param model the architecture
 * @param window input steps per training pair
 * @param horizon steps forecast at once
 * @param epochs passes over the training pairs
 * @param batchSize pairs per step
 * @param learningRate Adam's learning rate; NaN for the book's rate for this model
 * @param scaler "standard" (mean 0, std 1) or "minmax" ([0, 1]), fitted on the training rows
 * @param relative take each window relative to its last target value, so the model learns moves
 *     rather than levels (for series that trend beyond their training range)
 * @param dropout rate of the Dropout layer put before the model's output layer, in [0, 1); 0 for
 *     none. A model trained with dropout can give MC-dropout error bars when it forecasts
 * @param seed seed of the weights, the shuffling and the generator
 * @param backend where to train
 * @param callbacks run by each fit, in order (null: none)
 */
public record TrainingSettings(
    ChapterModel model,
    int window,
    int horizon,
    int epochs,
    int batchSize,
    double learningRate,
    String scaler,
    boolean relative,
    double dropout,
    long seed,
    Backend backend,
    List<Callback> callbacks) {
  public TrainingSettings {
    if (model == null || backend == null) {
      throw new IllegalArgumentException("training settings: a model and a backend are required");
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1 step, got " + window);
    }
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "horizon must be at least 1 step, got "
              + horizon
              + " (a horizon of 0 forecasts nothing)");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException(
          "learning rate must be positive and finite, got " + learningRate);
    }
    scaler = scaler == null ? "standard" : scaler.trim().toLowerCase(Locale.ROOT);
    if (!scaler.equals("standard") && !scaler.equals("minmax")) {
      throw new IllegalArgumentException(
          "unknown scaler '" + scaler + "'; choose standard or minmax");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(
          "dropout must be in [0, 1) (the fraction of values dropped), got " + dropout);
    }
    callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
    model.checkWindow(window);
  }

  /**
   * The book's settings for {@code model}: 20 epochs, batch 32, its learning rate, standard
   * scaling, absolute windows, no dropout.
   */
  public static TrainingSettings of(ChapterModel model, int window, int horizon, Backend backend) {
    return new TrainingSettings(
        model, window, horizon, 20, 32, Double.NaN, "standard", false, 0, 0, backend, null);
  }

  /** The learning rate used: the one given, or the book's for this model. */
  public double effectiveLearningRate() {
    return Double.isNaN(learningRate) ? model.learningRate() : learningRate;
  }

  public TrainingSettings withEpochs(int n) {
    return new TrainingSettings(
        model,
        window,
        horizon,
        n,
        batchSize,
        learningRate,
        scaler,
        relative,
        dropout,
        seed,
        backend,
        callbacks);
  }

  public TrainingSettings withLearningRate(double rate) {
    return new TrainingSettings(
        model, window, horizon, epochs, batchSize, rate, scaler, relative, dropout, seed, backend,
        callbacks);
  }

  public TrainingSettings withRelative(boolean r) {
    return new TrainingSettings(
        model,
        window,
        horizon,
        epochs,
        batchSize,
        learningRate,
        scaler,
        r,
        dropout,
        seed,
        backend,
        callbacks);
  }

  /** With a Dropout(rate) layer before the output layer (0: none). */
  public TrainingSettings withDropout(double rate) {
    return new TrainingSettings(
        model,
        window,
        horizon,
        epochs,
        batchSize,
        learningRate,
        scaler,
        relative,
        rate,
        seed,
        backend,
        callbacks);
  }

  public TrainingSettings withSeed(long s) {
    return new TrainingSettings(
        model,
        window,
        horizon,
        epochs,
        batchSize,
        learningRate,
        scaler,
        relative,
        dropout,
        s,
        backend,
        callbacks);
  }

  /** With these callbacks (progress, early stopping, ...) instead of the current ones. */
  public TrainingSettings withCallbacks(Callback... c) {
    return new TrainingSettings(
        model,
        window,
        horizon,
        epochs,
        batchSize,
        learningRate,
        scaler,
        relative,
        dropout,
        seed,
        backend,
        List.of(c));
  }
}
