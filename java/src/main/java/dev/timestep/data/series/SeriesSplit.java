package dev.timestep.data.series;

import dev.timestep.data.Splits;

/**
 * A real series cut chronologically into train, validation and test parts (never shuffled, so no
 * future value leaks into training). Fit scalers on {@link #train()} only; each part is windowed on
 * its own, so no window crosses a boundary.
 *
 * @param train the earliest rows
 * @param valid the rows after them
 * @param test the latest rows
 */
public record SeriesSplit(TimeSeries train, TimeSeries valid, TimeSeries test) {
  public SeriesSplit {
    if (train == null || valid == null || test == null) {
      throw new IllegalArgumentException("series split: train, valid and test are all required");
    }
  }

  /**
   * The first {@code trainFraction} of the rows for training, the next {@code validFraction} for
   * validation and the rest for testing (part sizes rounded down, the test part takes the
   * remainder).
   */
  public static SeriesSplit byFractions(
      TimeSeries series, double trainFraction, double validFraction) {
    if (series == null) {
      throw new IllegalArgumentException("split: expected a series, got null");
    }
    if (!(trainFraction > 0 && validFraction > 0 && trainFraction + validFraction < 1)) {
      throw new IllegalArgumentException(
          "split: expected train and valid fractions > 0 that leave a test part "
              + "(sum < 1), got train "
              + trainFraction
              + " and valid "
              + validFraction);
    }
    int n = series.length();
    int trainEnd = (int) Math.floor(n * trainFraction);
    int validEnd = trainEnd + (int) Math.floor(n * validFraction);
    return atRows(series, trainEnd, validEnd);
  }

  /** Rows [0, trainEnd) for training, [trainEnd, validEnd) for validation, the rest for testing. */
  public static SeriesSplit atRows(TimeSeries series, int trainEnd, int validEnd) {
    if (series == null) {
      throw new IllegalArgumentException("split: expected a series, got null");
    }
    int n = series.length();
    if (!(0 < trainEnd && trainEnd < validEnd && validEnd < n)) {
      throw new IllegalArgumentException(
          "split of "
              + series.source()
              + " ("
              + n
              + " rows): each part needs at "
              + "least one row, so expected 0 < trainEnd < validEnd < "
              + n
              + ", got trainEnd "
              + trainEnd
              + " and validEnd "
              + validEnd);
    }
    return new SeriesSplit(
        series.slice(0, trainEnd), series.slice(trainEnd, validEnd), series.slice(validEnd, n));
  }

  /** Each part windowed as {@code spec} says. */
  public SplitWindows windows(WindowSpec spec) {
    return new SplitWindows(
        SeriesWindows.build(train, spec),
        SeriesWindows.build(valid, spec),
        SeriesWindows.build(test, spec));
  }

  /** The same transformation (e.g. {@code scaler::transform}) applied to each part. */
  public SeriesSplit map(java.util.function.UnaryOperator<TimeSeries> f) {
    return new SeriesSplit(f.apply(train), f.apply(valid), f.apply(test));
  }

  /**
   * The windows of each part, with the missing-value counts kept.
   *
   * @param train windows of the training part
   * @param valid windows of the validation part
   * @param test windows of the test part
   */
  public record SplitWindows(Windows train, Windows valid, Windows test) {
    /** The pairs alone, in the form the chapter's training code takes. */
    public Splits splits() {
      return new Splits(train.dataset(), valid.dataset(), test.dataset());
    }

    /** Windows skipped for missing values over all three parts. */
    public int skippedForMissing() {
      return train.skippedForMissing() + valid.skippedForMissing() + test.skippedForMissing();
    }
  }
}
