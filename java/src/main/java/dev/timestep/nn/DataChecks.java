package dev.timestep.nn;

import dev.timestep.tensor.NDArray;

/** Validation of user data at the model API, before anything reaches a backend. */
final class DataChecks {
  private DataChecks() {}

  /** X and Y: present, at least 2-D, same number of samples, non-empty, finite. */
  static void pair(String what, NDArray x, NDArray y) {
    inputs(what + " X", x);
    if (y == null) {
      throw new IllegalArgumentException(what + " Y is null");
    }
    if (y.rank() < 2) {
      throw new IllegalArgumentException(
          what
              + " Y must be [samples, ...] with rank >= 2, got shape "
              + y.shape()
              + " (reshape a vector of targets to [n, 1])");
    }
    if (x.dim(0) != y.dim(0)) {
      throw new IllegalArgumentException(
          what
              + ": X has "
              + x.dim(0)
              + " samples but Y has "
              + y.dim(0)
              + " (X "
              + x.shape()
              + ", Y "
              + y.shape()
              + ")");
    }
    y.requireFinite(what + " Y");
  }

  /** X alone: present, at least 2-D, non-empty, finite. */
  static void inputs(String what, NDArray x) {
    if (x == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          what + " must be [samples, ...] with rank >= 2, got shape " + x.shape());
    }
    if (x.dim(0) == 0) {
      throw new IllegalArgumentException(what + " has zero samples (shape " + x.shape() + ")");
    }
    if (x.size() == 0) {
      throw new IllegalArgumentException(
          what
              + " has samples of zero values (shape "
              + x.shape()
              + "): every axis after the first needs at least one entry, e.g. one time step and one feature");
    }
    x.requireFinite(what);
  }

  static void batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }
}
