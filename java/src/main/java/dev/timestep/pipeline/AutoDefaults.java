package dev.timestep.pipeline;

import dev.timestep.data.series.Season;

/**
 * The defaults the forecasting workflow chooses from the series itself, so that a user who gives
 * only the series and the horizon gets a good setup: a window of two seasons where the rows allow,
 * and an epoch budget in optimizer steps rather than passes (a short series needs many passes).
 */
public final class AutoDefaults {
  /** Optimizer steps the epoch budget aims at; early stopping usually ends sooner. */
  static final int TARGET_STEPS = 1500;

  static final int MIN_EPOCHS = 30;
  static final int MAX_EPOCHS = 300;

  /** Epochs without a better validation loss before the epoch-choosing fit stops. */
  public static final int PATIENCE = 25;

  /** Window of a series without a season (yearly, irregular): 12 rows, or two horizons. */
  static final int NON_SEASONAL_WINDOW = 12;

  /**
   * The most window steps (windows x window length x epochs) a fit of a recurrent candidate may
   * process when {@code auto} picks the candidates: about a minute of CPU per fit. Longer series
   * backtest the linear model only, unless the models are named.
   */
  public static final long RECURRENT_BUDGET = 3_000_000L;

  private AutoDefaults() {}

  /** The window steps one fit processes at most: windows x window x epochs. */
  public static long fitWork(int rows, int window, int horizon, int epochs) {
    long windows = Math.max(0, (long) rows - window - horizon + 1);
    return windows * window * epochs;
  }

  /** The window preferred before the rows are counted: two seasons, or see above. */
  public static int preferredWindow(Season season, int horizon) {
    int m = season.period();
    return m > 1 ? 2 * m : Math.max(NON_SEASONAL_WINDOW, 2 * horizon);
  }

  /**
   * The most epochs to train for: enough passes over {@code windows} training windows in batches of
   * {@code batchSize} to take about {@link #TARGET_STEPS} steps, within [30, 300].
   */
  public static int maxEpochs(int windows, int batchSize) {
    long batches = Math.max(1, ((long) windows + batchSize - 1) / batchSize);
    long epochs = (TARGET_STEPS + batches - 1) / batches;
    return (int) Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, epochs));
  }
}
