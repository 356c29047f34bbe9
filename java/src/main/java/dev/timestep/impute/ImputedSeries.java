package dev.timestep.impute;

import dev.timestep.data.series.TimeSeries;

/**
 * A series whose gaps were filled, and which rows were.
 *
 * @param series the filled series (one column, no NaN)
 * @param imputed true at each row that was missing and is now filled
 * @param gaps runs of consecutive missing rows that were filled
 * @param byModel values filled by the model
 * @param byInterpolation values filled by linear interpolation (gaps without a full window before
 *     them)
 */
public record ImputedSeries(
    TimeSeries series, boolean[] imputed, int gaps, int byModel, int byInterpolation) {
  public ImputedSeries {
    imputed = imputed.clone();
  }

  /** A copy of the imputed-row flags. */
  @Override
  public boolean[] imputed() {
    return imputed.clone();
  }

  /** Values filled in all. */
  public int filled() {
    return byModel + byInterpolation;
  }
}
