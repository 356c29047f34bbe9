/**
 * Models and their training: {@link dev.timestep.nn.Sequential}, the layers, losses and metrics,
 * the fit loop ({@code FitLoop}, with sync windows as its one divergence check), what the loop
 * calls and returns ({@link dev.timestep.nn.Callback}, {@link dev.timestep.nn.History}, {@link
 * dev.timestep.nn.ProgressBar}) and the usage guard that keeps a model's memory alive while it is
 * read. May import {@code autodiff}, {@code optim}, {@code backend} and {@code tensor}. The
 * callback implementations live in {@code nn.callbacks}, above {@code io}; nothing here imports
 * them.
 */
package dev.timestep.nn;
