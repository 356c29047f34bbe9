package dev.timestep.reproduce;

import dev.timestep.data.Forecasts;
import dev.timestep.data.Splits;

/** Rows 1 and 7: the last value, repeated over the horizon. Nothing to train. */
final class NaiveRow extends BookRow {

  NaiveRow(int number, int horizon, double book, double low, double high) {
    super(number, horizon, book, low, high);
  }

  @Override
  public String model() {
    return horizon() == 1 ? "naive: y = X[:, -1]" : "naive: repeat the last value";
  }

  @Override
  public double run(RowContext context) {
    Splits data = horizon() == 1 ? context.oneStep() : context.tenStepsVector();
    return Forecasts.mse(Forecasts.naive(data.valid().x(), horizon()), data.valid().y());
  }
}
