/**
 * Keras' training callbacks for {@link dev.timestep.nn.Sequential#fit}: {@link
 * dev.timestep.nn.callbacks.EarlyStopping}, {@link dev.timestep.nn.callbacks.ModelCheckpoint},
 * {@link dev.timestep.nn.callbacks.ReduceLROnPlateau}, {@link
 * dev.timestep.nn.callbacks.LearningRateScheduler}, {@link dev.timestep.nn.callbacks.CsvLogger} and
 * {@link dev.timestep.nn.callbacks.TerminateOnNaN}.
 *
 * <p>The layout keeps the packages acyclic: what the fit loop itself needs (the {@link
 * dev.timestep.nn.Callback} base class, {@link dev.timestep.nn.History} and the {@link
 * dev.timestep.nn.ProgressBar} that {@code verbose} creates) lives in {@code nn}, which imports
 * nothing of this package; the implementations live here, above both {@code nn} and {@code io}
 * (which imports {@code nn}), so checkpoints and logs can use the model file and the atomic writes.
 * May import {@code nn}, {@code io}, {@code optim}, {@code autodiff}, {@code backend} and {@code
 * tensor}; no workflow imports are needed, and only the workflows and the CLI import it.
 */
package dev.timestep.nn.callbacks;
