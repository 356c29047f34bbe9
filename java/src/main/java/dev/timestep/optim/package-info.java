/**
 * Optimizers ({@link dev.timestep.optim.Adam}) and gradient clipping: the update step that a
 * training loop applies to a model's parameters, one backend call per parameter. May import {@code
 * autodiff}, {@code backend} and {@code tensor} only.
 */
package dev.timestep.optim;
