package dev.timestep.cli;

import dev.timestep.pipeline.SeriesModelInfo;

/** Refuses forecast sizes whose memory cannot fit (see {@link SizeLimits}) before forecasting. */
final class ForecastSizes {
  /**
   * Bytes each forecast step keeps at least: its values and spread in float and double, in scaled
   * and original units, its time, and its plot coordinates.
   */
  static final long BYTES_PER_STEP = 160;

  /**
   * Bytes per forecast value of the backtest: scaled and original units, and the error's double.
   */
  static final long BYTES_PER_BACKTEST_VALUE = 16;

  private ForecastSizes() {}

  /**
   * The forecast of {@code steps} steps, each drawn from {@code mcSamples} MC-dropout samples (0
   * for none).
   */
  static void check(SeriesModelInfo info, int steps, int mcSamples) {
    SizeLimits.checkMemory("--horizon", steps, BYTES_PER_STEP, "the forecast's steps");
    if (mcSamples > 0) {
      // One forward pass tiles the input window once per sample, and returns each sample's outputs.
      long inputs = (long) info.window() * info.columns().size();
      SizeLimits.checkMemory(
          "--mc-samples",
          mcSamples,
          4 * (inputs + info.horizon()) * 2,
          "the tiled input windows, the samples' outputs and as much again for the layers");
      SizeLimits.checkArray(
          "--mc-samples", mcSamples, inputs, "the input window tiled once per sample");
    }
  }

  /**
   * The backtest of {@code backtest} origins at most, {@code steps} steps each, on a series of
   * {@code rows}.
   */
  static void checkBacktest(SeriesModelInfo info, int steps, int backtest, int rows) {
    long origins = Math.min(backtest, Math.max(0, (long) rows - info.window() - steps + 1));
    if (origins == 0) {
      return; // no stretch to score: the backtest says so without allocating anything
    }
    String what = "backtest forecasts of " + steps + " steps from each of " + origins + " origins";
    SizeLimits.checkMemory("--horizon", steps, origins * BYTES_PER_BACKTEST_VALUE, what);
    SizeLimits.checkArray("--horizon", steps, origins, what);
  }
}
