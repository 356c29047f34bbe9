package dev.timestep.nn;

import dev.timestep.backend.Backend;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * Whether tensors on a backend hold only finite values, at the cost of one reduction per tensor
 * and a single read whatever their number. The mean of (t - t)² is 0 when every value of t is
 * finite and NaN as soon as one is NaN or infinite (∞ - ∞ is NaN), whatever the magnitudes; the
 * per-tensor results are summed on the backend, so only the sum comes back.
 */
final class FiniteCheck implements AutoCloseable {
  private final Scope scope = new Scope();
  private Tensor sum;
  private Tensor part;

  /** True when every value of the weights and of the optimizer's state is finite. */
  boolean allFinite(Backend backend, Tensor weights, List<Tensor> optimizerState) {
    if (sum == null) {
      sum = backend.allocate(Shape.of(1), scope);
      part = backend.allocate(Shape.of(1), scope);
    }
    backend.mse(weights, weights, sum);
    for (Tensor t : optimizerState) {
      backend.mse(t, t, part);
      backend.accumulate(part, sum);
    }
    return backend.readScalar(sum) == 0f;
  }

  @Override
  public void close() {
    scope.close();
    sum = null;
    part = null;
  }
}
