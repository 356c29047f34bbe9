package dev.timestep.data.series;

/**
 * A series of a {@link ManySeries} that was left out of a step, and why (too few rows, no observed
 * value, ...), so that a caller can report it instead of losing it silently.
 *
 * @param id the series' id
 * @param reason one line saying why
 */
public record SkippedSeries(String id, String reason) {
  public SkippedSeries {
    if (id == null || reason == null) {
      throw new IllegalArgumentException("skipped series: an id and a reason are required");
    }
  }

  @Override
  public String toString() {
    return Quoted.of(id) + ": " + reason;
  }
}
