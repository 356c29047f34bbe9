package dev.timestep.data.series.transform;

import java.util.function.DoubleUnaryOperator;

/** Inversion for transforms that map each value on its own and increase: history is not needed. */
final class ElementWise {
  private ElementWise() {}

  static double[] map(double[] values, DoubleUnaryOperator f, String transform) {
    if (values == null) {
      throw new IllegalArgumentException(transform + ": expected values, got null");
    }
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(values[i]);
    }
    return out;
  }

  static Bounds mapBounds(Bounds bounds, DoubleUnaryOperator f, String transform) {
    if (bounds == null) {
      throw new IllegalArgumentException(transform + ": expected bounds, got null");
    }
    return new Bounds(map(bounds.lower(), f, transform), map(bounds.upper(), f, transform));
  }
}
