package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * Makes an optimizer update all-or-nothing with respect to finiteness: the weights are copied
 * before the update and, if the update left any weight NaN or infinite (a non-finite gradient,
 * an overflowing step), copied back before the error is thrown. So a diverged run keeps the
 * last finite weights. The check is one reduction on the backend that needs no extra memory:
 * the mean of (w - w)² over the weights is 0 when every weight is finite and NaN as soon as one
 * is NaN or infinite (∞ - ∞ is NaN), whatever the weights' magnitude.
 */
final class DivergenceGuard implements AutoCloseable {
  private final Scope scope = new Scope();
  private Tensor backup;
  private Tensor check;

  /**
   * Runs {@code optimizer.step(store)}; if the weights are not all finite afterwards, restores
   * them and throws {@link IllegalStateException} naming {@code where} (epoch and batch).
   */
  void update(ParameterStore store, Optimizer optimizer, String where) {
    Backend b = store.backend();
    Tensor values = store.values();
    if (backup == null) {
      backup = b.allocate(values.shape(), scope);
      check = b.allocate(Shape.of(1), scope);
    }
    b.copy(values, backup);
    optimizer.step(store);
    b.mse(values, values, check);
    if (b.readScalar(check) != 0f) {
      b.copy(backup, values);
      throw new IllegalStateException("training diverged at " + where + ": the update made weights NaN or"
          + " infinite (non-finite gradients, or a step beyond float range); the model keeps the weights from"
          + " before this update. Try a smaller learning rate or gradient clipping (Adam.clipNorm / clipValue);"
          + " the optimizer's state includes the failed step, so compile with a new optimizer to continue");
    }
  }

  @Override
  public void close() {
    scope.close();
    backup = null;
    check = null;
  }
}
