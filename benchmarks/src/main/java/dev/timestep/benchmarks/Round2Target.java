package dev.timestep.benchmarks;

/**
 * One target of the round-2 report and the value measured against it.
 *
 * @param name what is measured, e.g. "chapter LSTM epoch, 1 thread"
 * @param atMost true when the value must not exceed {@code limit} (a time), false when it must
 *     reach it (a speed-up)
 * @param limit the target's bound
 * @param unit the unit of {@code limit} and {@code measured} as printed ("s", "µs", "x", "MB")
 * @param measured the measured value, NaN when it was not measured
 * @param detail which point or row decided the value, or an empty string
 */
record Round2Target(
    String name, boolean atMost, double limit, String unit, double measured, String detail) {
  /** Met, not met, or not measured (NaN). */
  enum Status {
    MET("met"),
    NOT_MET("**not met**"),
    NOT_MEASURED("not measured");

    final String text;

    Status(String text) {
      this.text = text;
    }
  }

  Round2Target {
    if (!Double.isFinite(limit)) {
      throw new IllegalArgumentException(name + ": the limit must be a number, got " + limit);
    }
    detail = detail == null ? "" : detail;
  }

  /** Whether the measured value meets the bound (exactly on the bound meets it). */
  Status status() {
    if (Double.isNaN(measured)) {
      return Status.NOT_MEASURED;
    }
    boolean met = atMost ? measured <= limit : measured >= limit;
    return met ? Status.MET : Status.NOT_MET;
  }

  /** The bound as the report prints it: {@code ≤ 0.15 s}, {@code ≥ 20x}. */
  String bound() {
    return (atMost ? "≤ " : "≥ ") + number(limit) + " " + unit;
  }

  /**
   * A bound or value as printed: up to 3 significant digits, no exponent ({@code 0.15}, {@code
   * 300}).
   */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(3))
        .stripTrailingZeros()
        .toPlainString();
  }
}
