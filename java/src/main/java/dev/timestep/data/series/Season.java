package dev.timestep.data.series;

/**
 * The season length of a series in rows, with why it was chosen.
 *
 * @param period rows per season, at least 1 (1: no season)
 * @param reason one line for reports, e.g. {@code "monthly steps: 12 per year"}
 */
public record Season(int period, String reason) {
  public Season {
    if (period < 1) {
      throw new IllegalArgumentException(
          "season: the period must be at least 1 row, got " + period);
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("season: a reason is required");
    }
  }

  /** A period given by the user rather than detected. */
  public static Season given(int period) {
    return new Season(
        period, "given: " + period + (period == 1 ? " (no season)" : " rows per season"));
  }

  /** Whether the series has a season longer than one row. */
  public boolean isSeasonal() {
    return period > 1;
  }
}
