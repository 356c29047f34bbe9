package dev.timestep.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/**
 * Tick labels for log axes: two significant digits written plainly (0.0032, 0.05, 120), so a reader
 * sees values rather than fractional powers of ten; scientific notation outside 1e-4 .. 1e6.
 * Formatting only: it parses nothing.
 */
final class SignificantFormat extends NumberFormat {
  private static final long serialVersionUID = 1L;
  private static final MathContext DIGITS = new MathContext(2);

  static String text(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v == 0 ? "0" : Double.toString(v);
    }
    double magnitude = Math.abs(v);
    if (magnitude < 1e-4 || magnitude >= 1e6) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
  }

  @Override
  public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
    return toAppendTo.append(text(number));
  }

  @Override
  public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
    return toAppendTo.append(text(number));
  }

  /** Never parses: returns null and leaves {@code pos} unchanged, as the contract allows. */
  @Override
  public Number parse(String source, ParsePosition pos) {
    return null;
  }
}
