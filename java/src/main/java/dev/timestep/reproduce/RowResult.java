package dev.timestep.reproduce;

/** What one row reached, beside the book's number. */
public record RowResult(ChapterRow row, double value, double seconds) {
  /** Our value relative to the book's, in percent (positive = worse). */
  public double deltaPercent() {
    return 100.0 * (value - row.bookValue()) / row.bookValue();
  }
}
