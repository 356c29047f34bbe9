/**
 * Models and their training: {@link dev.timestep.nn.Sequential}, the layers, losses and metrics,
 * the fit loop ({@code FitLoop}, with sync windows as its one divergence check) and the usage guard
 * that keeps a model's memory alive while it is read. May import {@code autodiff}, {@code optim},
 * {@code backend} and {@code tensor}.
 */
package dev.timestep.nn;
