package dev.timestep.backend.conformance;

import java.util.Locale;

/**
 * The one tolerance policy for a backend's ops against {@link
 * dev.timestep.backend.reference.ReferenceBackend#float32()}: the conformance suite ({@link
 * OpCheck}, which the CLI's {@code selfcheck} and the GPU check run) and the JUnit
 * native-vs-reference tests all judge an op by this table.
 *
 * <p>An output element passes when {@code |candidate - reference| <= atol + rtol * |reference|} for
 * the op's family; an exact family demands the same bits. The reference accumulates in double and
 * rounds once, while native code accumulates in float32 and may reorder sums, so only pure data
 * movement is held to bit-exactness.
 */
public enum Tolerance {
  /**
   * Pure data movement (allocate, upload, download, fill, copy, gatherRows, lastStep): the same
   * bits.
   */
  EXACT(0, 0),
  /**
   * Arithmetic of bounded depth: elementwise ops, activations, bias, matmul, loss, Adam, Conv1D,
   * layer and batch normalization. One float32 rounding per term of a sum that the reference does
   * in double.
   */
  FLOAT32(1e-5, 1e-4),
  /**
   * The fused recurrent layers, ten times looser: a recurrence feeds each step's float32 rounding
   * into the next (up to 1000 steps), and the weight gradients sum batch × steps terms.
   */
  RECURRENT(1e-4, 1e-3);

  private final double atol;
  private final double rtol;

  Tolerance(double atol, double rtol) {
    this.atol = atol;
    this.rtol = rtol;
  }

  /** The absolute part of the bound. */
  public double atol() {
    return atol;
  }

  /** The part of the bound relative to the reference value. */
  public double rtol() {
    return rtol;
  }

  /** The largest difference allowed from a reference value. */
  public double allowed(double reference) {
    return atol + rtol * Math.abs(reference);
  }

  /**
   * The family of a {@link dev.timestep.backend.Backend} op, by its method name (anything after a
   * space or parenthesis, such as {@code activation(relu)}, is ignored).
   */
  public static Tolerance forOp(String op) {
    String name = op.split("[ (]", 2)[0];
    if (name.startsWith("recurrent")) {
      return RECURRENT;
    }
    return switch (name) {
      case "allocate",
          "upload",
          "download",
          "readScalar",
          "fill",
          "copy",
          "gatherRows",
          "lastStep" ->
          EXACT;
      default -> FLOAT32;
    };
  }

  /**
   * The worst {@code |c - r| / allowed(r)} over the elements: at most 1 passes. For the exact
   * family, 0 when every element has the same bits and infinite otherwise. NaN when the lengths
   * differ or a difference is NaN (so a NaN or infinite output never passes an inexact family).
   */
  public double worstRatio(float[] candidate, float[] reference) {
    if (candidate.length != reference.length) {
      return Double.NaN;
    }
    double worst = 0;
    for (int i = 0; i < candidate.length; i++) {
      double r = ratio(candidate[i], reference[i]);
      if (Double.isNaN(r)) {
        return Double.NaN;
      }
      worst = Math.max(worst, r);
    }
    return worst;
  }

  private double ratio(float candidate, float reference) {
    double diff = Math.abs((double) candidate - (double) reference);
    if (this == EXACT) {
      if (Float.floatToIntBits(candidate) == Float.floatToIntBits(reference)) {
        return 0;
      }
      return Double.isNaN(diff) ? Double.NaN : Double.POSITIVE_INFINITY;
    }
    return diff / allowed(reference); // NaN when either side is NaN, or both the same infinity
  }

  /**
   * The table as one line, for reports: {@code exact: same bits; float32: 1e-05 + 1e-04·|r|; ...}.
   */
  public static String describe() {
    StringBuilder sb = new StringBuilder();
    for (Tolerance t : values()) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(t.name().toLowerCase(Locale.ROOT)).append(": ");
      sb.append(t == EXACT ? "same bits" : t.atol + " + " + t.rtol + "·|r|");
    }
    return sb.toString();
  }
}
