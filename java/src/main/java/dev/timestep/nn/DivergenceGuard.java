package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Tensor;

/**
 * Makes an optimizer update all-or-nothing with respect to finiteness: the weights are copied
 * before the update and, if the update left any weight or any value of the optimizer's state
 * NaN or infinite (a non-finite gradient, an overflowing step, a gradient whose square
 * overflows Adam's second moment), copied back before the error is thrown. So a diverged run
 * keeps the last finite weights. The check is {@link FiniteCheck}: one read per update.
 */
final class DivergenceGuard implements AutoCloseable {
  private final Scope scope = new Scope();
  private final FiniteCheck finite = new FiniteCheck();
  private Tensor backup;

  /**
   * Runs {@code optimizer.step(store)}; if the weights are not all finite afterwards, restores
   * them and throws {@link IllegalStateException} naming {@code where} (epoch and batch).
   */
  void update(ParameterStore store, Optimizer optimizer, String where) {
    Backend b = store.backend();
    Tensor values = store.values();
    if (backup == null) {
      backup = b.allocate(values.shape(), scope);
    }
    b.copy(values, backup);
    optimizer.step(store);
    if (!finite.allFinite(b, values, optimizer.state())) {
      b.copy(backup, values);
      throw new IllegalStateException("training diverged at " + where + ": the update made the weights or the"
          + " optimizer state NaN or infinite (non-finite gradients, or a gradient or step beyond float range, as"
          + " inputs of extreme magnitude give); the model keeps the weights from before this update. Try a smaller"
          + " learning rate, gradient clipping (Adam.clipNorm / clipValue) or scaled inputs; the optimizer's state"
          + " includes the failed step, so compile with a new optimizer to continue");
    }
  }

  @Override
  public void close() {
    finite.close();
    scope.close();
    backup = null;
  }
}
