package dev.timestep.reproduce;

import dev.timestep.data.Forecasts;
import dev.timestep.data.Splits;

/** Rows 1 and 7: the last value, repeated over the horizon. Nothing to train. */
final class NaiveRow implements ChapterRow {
  private final int number;
  private final int horizon;
  private final double book;
  private final double low;
  private final double high;

  NaiveRow(int number, int horizon, double book, double low, double high) {
    this.number = number;
    this.horizon = horizon;
    this.book = book;
    this.low = low;
    this.high = high;
  }

  @Override
  public int number() {
    return number;
  }

  @Override
  public String task() {
    return horizon == 1 ? "one step" : horizon + " steps";
  }

  @Override
  public String model() {
    return horizon == 1 ? "naive: y = X[:, -1]" : "naive: repeat the last value";
  }

  @Override
  public String metric() {
    return "val mse";
  }

  @Override
  public double bookValue() {
    return book;
  }

  @Override
  public double bookLow() {
    return low;
  }

  @Override
  public double bookHigh() {
    return high;
  }

  @Override
  public double run(RowContext context) {
    Splits data = horizon == 1 ? context.oneStep() : context.tenStepsVector();
    return Forecasts.mse(Forecasts.naive(data.valid().x(), horizon), data.valid().y());
  }
}
