/**
 * Reverse-mode automatic differentiation: the {@link dev.timestep.autodiff.Tape} records ops on
 * {@link dev.timestep.autodiff.Variable}s, {@link dev.timestep.autodiff.Ops} holds each op's
 * forward and backward (each a call into the backend), and parameters with their initializers live
 * here. May import {@code backend} and {@code tensor} only.
 */
package dev.timestep.autodiff;
