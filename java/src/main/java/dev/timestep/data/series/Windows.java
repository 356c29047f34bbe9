package dev.timestep.data.series;

import dev.timestep.data.Dataset;

/**
 * Training pairs cut from one or more series, and how many candidate windows were left out because
 * they touch a missing value (they are skipped, never filled).
 *
 * @param dataset X [N, window, features] and Y [N, horizon] or [N, window, horizon]
 * @param candidates windows that fit in the series at the requested stride
 * @param skippedForMissing candidates dropped because an input or target value was missing
 */
public record Windows(Dataset dataset, int candidates, int skippedForMissing) {
  public Windows {
    if (dataset == null
        || skippedForMissing < 0
        || candidates != dataset.size() + skippedForMissing) {
      throw new IllegalArgumentException(
          "windows: kept + skipped must equal candidates, got "
              + (dataset == null ? "no dataset" : dataset.size() + " kept")
              + ", "
              + skippedForMissing
              + " skipped, "
              + candidates
              + " candidates");
    }
  }

  /** Number of pairs built. */
  public int size() {
    return dataset.size();
  }

  @Override
  public String toString() {
    return "Windows["
        + size()
        + " pairs, X "
        + dataset.x().shape()
        + ", Y "
        + dataset.y().shape()
        + ", "
        + skippedForMissing
        + " of "
        + candidates
        + " windows skipped for missing values]";
  }
}
