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
   * Glorot (Xavier) uniform, Keras' default for kernels: U(-l, l) with
   * l = sqrt(6 / (fan_in + fan_out)); for a [in, out] kernel fan_in = in, fan_out = out.
   */
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
}
