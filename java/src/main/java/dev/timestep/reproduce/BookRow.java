package dev.timestep.reproduce;

/** What every row shares: its number, its horizon and the book's numbers for it. */
abstract class BookRow implements ChapterRow {
  private final int number;
  private final int horizon;
  private final double book;
  private final double low;
  private final double high;

  /**
   * @param horizon steps forecast (1 or 10)
   * @param book the notebook's final run; {@code low}/{@code high}: the three published runs
   */
  BookRow(int number, int horizon, double book, double low, double high) {
    this.number = number;
    this.horizon = horizon;
    this.book = book;
    this.low = low;
    this.high = high;
  }

  int horizon() {
    return horizon;
  }

  @Override
  public int number() {
    return number;
  }

  @Override
  public String task() {
    return horizon == 1 ? "one step" : horizon + " steps";
  }

  /** "val mse" unless a row reports another metric. */
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
}
