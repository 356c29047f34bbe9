package dev.timestep.pipeline.evaluation;

/**
 * Errors of forecasts over a horizon, per step ahead and overall, from one or more forecasts (the
 * folds of a backtest, say), each with its own MASE scale:
 *
 * <ul>
 *   <li>MASE: {@code |y - f| / scale}, averaged (see {@link MaseScale});
 *   <li>sMAPE: {@code 200 |y - f| / (|y| + |f|)} in percent, 0 where both are 0;
 *   <li>RMSE: the root of the mean of {@code (y - f)^2}, in the series' units.
 * </ul>
 *
 * Missing actuals (NaN) are not scored; a step with nothing to score is NaN. Arrays are indexed by
 * step, step 1 first.
 *
 * @param mase per step
 * @param smape per step, percent
 * @param rmse per step
 * @param overallMase over every scored step of every forecast
 * @param overallSmape over every scored step of every forecast
 * @param overallRmse over every scored step of every forecast
 */
public record ForecastScores(
    double[] mase,
    double[] smape,
    double[] rmse,
    double overallMase,
    double overallSmape,
    double overallRmse) {
  public ForecastScores {
    mase = mase.clone();
    smape = smape.clone();
    rmse = rmse.clone();
  }

  /**
   * Scores of forecasts {@code forecast[i]} of {@code actual[i]}, each {@code [forecasts][steps]}.
   *
   * @param maseScales one per forecast (its in-sample {@link MaseScale})
   * @throws IllegalArgumentException when shapes differ, a forecast value is NaN, or a scale is not
   *     finite and positive
   */
  public static ForecastScores of(double[][] actual, double[][] forecast, double[] maseScales) {
    int steps = checkShapes(actual, forecast, maseScales);
    double[] absScaled = new double[steps];
    double[] smapeSum = new double[steps];
    double[] squares = new double[steps];
    int[] count = new int[steps];
    for (int i = 0; i < actual.length; i++) {
      for (int k = 0; k < steps; k++) {
        double y = actual[i][k];
        double f = forecast[i][k];
        if (Double.isNaN(y)) {
          continue;
        }
        double e = Math.abs(y - f);
        absScaled[k] += e / maseScales[i];
        double denominator = Math.abs(y) + Math.abs(f);
        smapeSum[k] += denominator == 0 ? 0 : 200 * e / denominator;
        squares[k] += e * e;
        count[k]++;
      }
    }
    int total = 0;
    double allScaled = 0;
    double allSmape = 0;
    double allSquares = 0;
    double[] mase = new double[steps];
    double[] smape = new double[steps];
    double[] rmse = new double[steps];
    for (int k = 0; k < steps; k++) {
      mase[k] = absScaled[k] / count[k];
      smape[k] = smapeSum[k] / count[k];
      rmse[k] = Math.sqrt(squares[k] / count[k]);
      total += count[k];
      allScaled += absScaled[k];
      allSmape += smapeSum[k];
      allSquares += squares[k];
    }
    return new ForecastScores(
        mase, smape, rmse, allScaled / total, allSmape / total, Math.sqrt(allSquares / total));
  }

  /** Scores of one forecast. */
  public static ForecastScores of(double[] actual, double[] forecast, double maseScale) {
    return of(new double[][] {actual}, new double[][] {forecast}, new double[] {maseScale});
  }

  /** Number of steps scored. */
  public int steps() {
    return mase.length;
  }

  @Override
  public double[] mase() {
    return mase.clone();
  }

  @Override
  public double[] smape() {
    return smape.clone();
  }

  @Override
  public double[] rmse() {
    return rmse.clone();
  }

  private static int checkShapes(double[][] actual, double[][] forecast, double[] scales) {
    if (actual == null || forecast == null || scales == null || actual.length == 0) {
      throw new IllegalArgumentException("scores: expected actuals, forecasts and MASE scales");
    }
    if (forecast.length != actual.length || scales.length != actual.length) {
      throw new IllegalArgumentException(
          "scores: expected one forecast and one MASE scale per actual row, got "
              + actual.length
              + " actual rows, "
              + forecast.length
              + " forecasts and "
              + scales.length
              + " scales");
    }
    int steps = actual[0] == null ? 0 : actual[0].length;
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] == null
          || forecast[i] == null
          || actual[i].length != steps
          || forecast[i].length != steps
          || steps == 0) {
        throw new IllegalArgumentException(
            "scores: row "
                + i
                + " must have "
                + steps
                + " actual and forecast steps (at least 1), got "
                + (actual[i] == null ? "null" : actual[i].length)
                + " and "
                + (forecast[i] == null ? "null" : forecast[i].length));
      }
      if (!(scales[i] > 0) || Double.isInfinite(scales[i])) {
        throw new IllegalArgumentException(
            "scores: row " + i + " has MASE scale " + scales[i] + "; it must be finite and > 0");
      }
      for (int k = 0; k < steps; k++) {
        if (Double.isNaN(forecast[i][k])) {
          throw new IllegalArgumentException(
              "scores: row " + i + ", step " + (k + 1) + " of the forecast is NaN");
        }
      }
    }
    return steps;
  }
}
