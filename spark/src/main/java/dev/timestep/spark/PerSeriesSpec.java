package dev.timestep.spark;

import dev.timestep.backend.Backends;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.TrainingSettings;
import java.io.Serializable;

/**
 * What every per-series task trains, in a form that travels to executors (the settings themselves
 * hold a backend, which is the executor's own).
 *
 * @param model the chapter model's name
 * @param learningRate 0 for the book's rate for the model
 * @param holdout rows at the end of each series scored (MASE), 0 for none
 * @param season the seasonal-naive period of the scores; 0 to detect it from the time step
 */
record PerSeriesSpec(
    String model,
    int window,
    int horizon,
    int epochs,
    int batchSize,
    double learningRate,
    int holdout,
    int season,
    long seed)
    implements Serializable {
  /** The settings on this JVM's backend. */
  TrainingSettings settings() {
    TrainingSettings s =
        TrainingSettings.of(ChapterModels.named(model), window, horizon, Backends.auto())
            .withEpochs(epochs)
            .withSeed(seed);
    s = learningRate > 0 ? s.withLearningRate(learningRate) : s;
    return new TrainingSettings(
        s.model(),
        s.window(),
        s.horizon(),
        s.epochs(),
        batchSize,
        s.learningRate(),
        s.scaler(),
        s.relative(),
        s.dropout(),
        s.seed(),
        s.backend(),
        s.callbacks());
  }
}
