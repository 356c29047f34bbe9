/**
 * Optimizers ({@link dev.timestep.optim.SGD}, {@link dev.timestep.optim.RMSprop}, {@link
 * dev.timestep.optim.Adam}, {@link dev.timestep.optim.AdamW}) and gradient clipping: the update
 * step that a training loop applies to a model's parameters, one fused backend call over the whole
 * parameter arena per step. May import {@code autodiff}, {@code backend} and {@code tensor} only.
 */
package dev.timestep.optim;
