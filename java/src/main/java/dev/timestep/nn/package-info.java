/**
 * Models and their training: {@link dev.timestep.nn.Sequential} and the functional {@link
 * dev.timestep.nn.Model} (symbolic {@link dev.timestep.nn.Input}s, layers applied to them), the
 * layers, losses and metrics, the fit loop both models share ({@code FitLoop}, through {@code
 * Trainable}, with sync windows as its one divergence check), what the loop calls and returns
 * ({@link dev.timestep.nn.Callback}, {@link dev.timestep.nn.History}, {@link
 * dev.timestep.nn.ProgressBar}) and the usage guard that keeps a model's memory alive while it is
 * read. May import {@code autodiff}, {@code optim}, {@code backend} and {@code tensor}. The
 * callback implementations live in {@code nn.callbacks}, above {@code io}; nothing here imports
 * them.
 */
package dev.timestep.nn;
