package dev.timestep.autodiff;

import dev.timestep.tensor.Shape;
import java.util.SplittableRandom;

/** Fills a new parameter on the host; Keras' initializers, seeded. */
@FunctionalInterface
public interface Initializer {
  float[] values(Shape shape, SplittableRandom random);

  static Initializer zeros() {
    return (shape, random) -> new float[Math.toIntExact(shape.size())];
  }

  static Initializer constant(float value) {
    return (shape, random) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      java.util.Arrays.fill(v, value);
      return v;
    };
  }

  /**
   * Glorot (Xavier) uniform, Keras' default for kernels: U(-l, l) with l = sqrt(6 / (fan_in +
   * fan_out)); for a [in, out] kernel fan_in = in, fan_out = out.
   */
  static Initializer glorotUniform(long fanIn, long fanOut) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return (shape, random) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
      }
      return v;
    };
  }

  /** Glorot uniform with the fans of a [in, out] kernel: in = size / last axis, out = last axis. */
  static Initializer glorotUniform() {
    return (shape, random) -> {
      int fanOut = shape.dim(-1);
      long fanIn = shape.size() / fanOut;
      double limit = Math.sqrt(6.0 / (fanIn + fanOut));
      float[] v = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
      }
      return v;
    };
  }

  /**
   * Keras' orthogonal initializer (gain 1), the default for recurrent kernels: the shape is seen as
   * a [rows, cols] matrix (cols = last axis); a Gaussian matrix of the transposed orientation when
   * rows < cols is orthonormalized (Gram-Schmidt, which fixes the signs as Keras' QR sign
   * correction does), so rows or columns, whichever are fewer, are orthonormal.
   */
  static Initializer orthogonal() {
    return (shape, random) -> {
      int cols = shape.dim(-1);
      int rows = Math.toIntExact(shape.size() / cols);
      int tall = Math.max(rows, cols);
      int narrow = Math.min(rows, cols);
      double[][] q = new double[narrow][tall]; // narrow orthonormal vectors of length tall
      for (int j = 0; j < narrow; j++) {
        for (int i = 0; i < tall; i++) {
          q[j][i] = gaussian(random);
        }
        for (int k = 0; k < j; k++) {
          double dot = 0;
          for (int i = 0; i < tall; i++) {
            dot += q[j][i] * q[k][i];
          }
          for (int i = 0; i < tall; i++) {
            q[j][i] -= dot * q[k][i];
          }
        }
        double norm = 0;
        for (int i = 0; i < tall; i++) {
          norm += q[j][i] * q[j][i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < tall; i++) {
          q[j][i] /= norm;
        }
      }
      float[] v = new float[rows * cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          // rows >= cols: the vectors are columns; otherwise they are rows.
          v[r * cols + c] = (float) (rows >= cols ? q[c][r] : q[r][c]);
        }
      }
      return v;
    };
  }

  /** A standard normal draw (Box-Muller). */
  private static double gaussian(java.util.SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
