package dev.timestep.nn;

/**
 * What a {@code fit} call was asked to do, as Keras' {@code callback.params}: the epochs, the
 * batches (steps) per epoch and the verbosity.
 *
 * @param epochs epochs requested (a stopped fit runs fewer)
 * @param steps batches per epoch
 * @param verbose 0 silent, 1 progress bar, 2 one line per epoch
 */
public record FitParams(int epochs, int steps, int verbose) {}
