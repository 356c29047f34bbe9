package dev.timestep.spark;

import dev.timestep.backend.Backend;
import dev.timestep.pipeline.AutoDefaults;
import dev.timestep.pipeline.AutoSettings;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.TransformChoice;
import java.io.Serializable;
import java.util.List;

/**
 * What every per-series task runs {@code AutoTrainer} with, in a form that travels to executors
 * (the settings themselves hold a backend, which is the executor's own). Zero means "the workflow
 * chooses" for window, epochs, folds and season, and "the model's own" for the learning rate.
 *
 * @param budgeted whether models beyond the linear one are skipped when a fit would be too costly
 *     (the library's default model list); false when the models were named
 * @param holdout rows at the end of each series kept out of everything and scored (MASE)
 */
record AutoSpec(
    List<String> models,
    boolean budgeted,
    List<String> transforms,
    int window,
    int horizon,
    int epochs,
    int batchSize,
    double learningRate,
    int members,
    int folds,
    int season,
    int holdout,
    long seed)
    implements Serializable {
  AutoSpec {
    models = List.copyOf(models);
    transforms = List.copyOf(transforms);
  }

  /** The workflow's settings on {@code backend}; refuses bad values with the workflow's message. */
  AutoSettings settings(Backend backend) {
    return new AutoSettings(
        models,
        transforms.stream().map(TransformChoice::named).toList(),
        window > 0 ? window : null,
        horizon,
        epochs > 0 ? epochs : null,
        batchSize,
        learningRate > 0 ? learningRate : Double.NaN,
        "standard",
        null,
        seed,
        members,
        folds > 0 ? folds : null,
        season > 0 ? season : null,
        AutoDefaults.PATIENCE,
        backend,
        GapFill.LINEAR,
        budgeted);
  }
}
