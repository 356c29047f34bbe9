package dev.timestep.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * Tick labels for log axes in powers of ten: {@code 1e-3}, {@code 1e-2}, {@code 1} at whole
 * decades, {@code 2.5e-3} between them, so every label reads as the same kind of number whatever
 * its size. Formatting only: it parses nothing.
 */
final class PowerOfTenFormat extends NumberFormat {
  private static final long serialVersionUID = 1L;
  private static final MathContext DIGITS = new MathContext(2);

  static String text(double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      return v == 0 ? "0" : Double.toString(v);
    }
    int exponent = (int) Math.floor(Math.log10(v));
    BigDecimal mantissa = new BigDecimal(v / Math.pow(10, exponent)).round(DIGITS);
    if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
      // 9.97e-3 rounds up to the next decade
      mantissa = BigDecimal.ONE;
      exponent++;
    }
    String m = mantissa.stripTrailingZeros().toPlainString();
    return exponent == 0 ? m : m + "e" + exponent;
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
