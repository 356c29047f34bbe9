package dev.timestep.reproduce;

import java.util.List;

/** What one row reached over one or more seeds, beside the book's number. */
public record RowResult(ChapterRow row, List<Double> values, double seconds) {
  public RowResult {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("a row result needs at least one value");
    }
    values = List.copyOf(values);
  }

  /** One seed's result. */
  public RowResult(ChapterRow row, double value, double seconds) {
    this(row, List.of(value), seconds);
  }

  /** The mean over seeds. */
  public double value() {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  /** The sample standard deviation over seeds (0 for one seed). */
  public double std() {
    if (values.size() < 2) {
      return 0;
    }
    double mean = value();
    double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(ss / (values.size() - 1));
  }

  /** Our mean relative to the book's value, in percent (positive = worse). */
  public double deltaPercent() {
    return 100.0 * (value() - row.bookValue()) / row.bookValue();
  }
}
