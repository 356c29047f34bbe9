package dev.timestep.backend;

import java.util.Locale;

/**
 * Elementwise activations; {@link #code()} matches TS_ACT_* in native/include/timestep/status.h.
 */
public enum Activation {
  LINEAR(0),
  TANH(1),
  SIGMOID(2),
  RELU(3);

  private final int code;

  Activation(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Parses Keras-style names ("linear", "tanh", "sigmoid", "relu"). */
  public static Activation parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("activation name must not be null");
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown activation '" + name + "'; expected one of linear, tanh, sigmoid, relu", e);
    }
  }

  /** y = f(x) in double, the reference definition. */
  public double apply(double x) {
    return switch (this) {
      case LINEAR -> x;
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
      case RELU -> x > 0 ? x : 0.0;
    };
  }

  /** f'(x) written through y = f(x), as the native kernels compute it. */
  public double slopeFromOutput(double y) {
    return switch (this) {
      case LINEAR -> 1.0;
      case TANH -> 1.0 - y * y;
      case SIGMOID -> y * (1.0 - y);
      case RELU -> y > 0 ? 1.0 : 0.0;
    };
  }
}
