package dev.timestep.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Float64 reference tensors for gradient checks and hand-computed cases, owned by a test's scope.
 */
public final class Float64Tensors {
  private final ReferenceBackend f64 = ReferenceBackend.float64();
  private final Scope scope;
  private final SplittableRandom random;

  /**
   * Tensors owned by {@code scope}; random values come from {@code random} (shared with the test).
   */
  public Float64Tensors(Scope scope, SplittableRandom random) {
    this.scope = scope;
    this.random = random;
  }

  /** A tensor holding exactly {@code values}. */
  public Tensor of(double[] values, int... dims) {
    Tensor t = f64.allocate(Shape.of(dims), scope);
    assertEquals(t.size(), values.length, "test setup: values for " + t.shape());
    for (int i = 0; i < values.length; i++) {
      f64.set(t, i, values[i]);
    }
    return t;
  }

  /** A tensor of uniform values in [lo, hi). */
  public Tensor random(double lo, double hi, int... dims) {
    Tensor t = f64.allocate(Shape.of(dims), scope);
    for (long i = 0; i < t.size(); i++) {
      f64.set(t, i, lo + (hi - lo) * random.nextDouble());
    }
    return t;
  }

  /** A parameter with uniform values in [lo, hi) and a zero gradient. */
  public Parameter param(String name, double lo, double hi, int... dims) {
    Tensor value = random(lo, hi, dims);
    return new Parameter(name, value, f64.allocate(value.shape(), scope));
  }

  /** A tensor's values in double. */
  public double[] values(Tensor t) {
    double[] out = new double[(int) t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f64.get(t, i);
    }
    return out;
  }
}
