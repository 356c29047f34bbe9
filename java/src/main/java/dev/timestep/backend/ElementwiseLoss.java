package dev.timestep.backend;

/**
 * The kinds of {@link Backend#elementwiseLoss}: each scores one prediction {@code p} against its
 * target {@code y} ({@code d = p - y}) with one parameter {@code a}. {@link #code()} matches
 * TS_LOSS_* in native/include/timestep/status.h; {@link #value} and {@link #slopes} are the
 * reference definitions, in double.
 */
public enum ElementwiseLoss {
  /** |d| (the parameter is not used). */
  ABSOLUTE(0),
  /** d²/2 where |d| ≤ a, else a·(|d| - a/2): Keras' Huber with delta a > 0. */
  HUBER(1),
  /** log(cosh(d)) (the parameter is not used). */
  LOG_COSH(2),
  /**
   * The pinball loss of quantile a in (0, 1): (1 - a)·d when over-predicting (d ≥ 0), -a·d when
   * under-predicting.
   */
  PINBALL(3),
  /** 100·|d| / max(|y|, a), with a > 0 the floor that keeps a zero target finite. */
  ABSOLUTE_PERCENTAGE(4);

  /** The most parameters (predictions per target) one call takes: TS_LOSS_MAX_PARAMS. */
  public static final int MAX_PARAMETERS = 256;

  private final int code;

  ElementwiseLoss(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * Refuses a parameter this kind cannot use, naming it; {@code what} says where it came from. The
   * kinds that use no parameter accept any finite value.
   */
  public void requireParameter(String what, float a) {
    boolean ok =
        switch (this) {
          case ABSOLUTE, LOG_COSH -> Float.isFinite(a);
          case HUBER, ABSOLUTE_PERCENTAGE -> a > 0 && Float.isFinite(a);
          case PINBALL -> a > 0 && a < 1;
        };
    if (!ok) {
      throw new IllegalArgumentException(
          what
              + ": "
              + this
              + " "
              + switch (this) {
                case ABSOLUTE, LOG_COSH -> "needs a finite parameter";
                case HUBER -> "needs delta > 0 (finite)";
                case ABSOLUTE_PERCENTAGE -> "needs an epsilon > 0 (finite)";
                case PINBALL -> "needs a quantile strictly between 0 and 1";
              }
              + ", got "
              + a);
    }
  }

  /** The loss of prediction p against target y with parameter a. */
  public double value(double p, double y, double a) {
    double d = p - y;
    return switch (this) {
      case ABSOLUTE -> Math.abs(d);
      case HUBER -> Math.abs(d) <= a ? 0.5 * d * d : a * (Math.abs(d) - 0.5 * a);
      case LOG_COSH -> logCosh(d);
      case PINBALL -> d >= 0 ? (1 - a) * d : -a * d;
      case ABSOLUTE_PERCENTAGE -> 100 * Math.abs(d) / Math.max(Math.abs(y), a);
    };
  }

  /**
   * {d value / dp, d value / dy}. At a kink the slope is the mean of the two one-sided ones (0 for
   * |d| at d = 0, 1/2 - a for the pinball loss), as the native kernels define it.
   */
  public double[] slopes(double p, double y, double a) {
    double d = p - y;
    double dp =
        switch (this) {
          case ABSOLUTE -> Math.signum(d);
          case HUBER -> Math.abs(d) <= a ? d : a * Math.signum(d);
          case LOG_COSH -> Math.tanh(d);
          case PINBALL -> d > 0 ? 1 - a : d < 0 ? -a : 0.5 - a;
          case ABSOLUTE_PERCENTAGE -> 100 * Math.signum(d) / Math.max(Math.abs(y), a);
        };
    double dy = -dp;
    if (this == ABSOLUTE_PERCENTAGE && Math.abs(y) > a) {
      // The denominator |y| moves with y above its floor.
      dy -= 100 * Math.abs(d) * Math.signum(y) / (y * y);
    }
    return new double[] {dp, dy};
  }

  /**
   * log(cosh(d)) without overflow or lost digits: log1p(2 sinh²(d/2)) below |d| = 1, |d| +
   * log1p(exp(-2|d|)) - log 2 beyond (the native kernels' split).
   */
  static double logCosh(double d) {
    double a = Math.abs(d);
    if (a < 1) {
      double s = Math.sinh(0.5 * a);
      return Math.log1p(2 * s * s);
    }
    return a + Math.log1p(Math.exp(-2 * a)) - Math.log(2);
  }
}
