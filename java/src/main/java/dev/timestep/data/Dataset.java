package dev.timestep.data;

import dev.timestep.tensor.NDArray;

/** Inputs and targets with the same number of samples. */
public record Dataset(NDArray x, NDArray y) {
  public Dataset {
    if (x == null || y == null) {
      throw new IllegalArgumentException("dataset needs both X and Y");
    }
    if (x.dim(0) != y.dim(0)) {
      throw new IllegalArgumentException(
          "dataset: X has " + x.dim(0) + " samples but Y has " + y.dim(0));
    }
  }

  public int size() {
    return x.dim(0);
  }
}
