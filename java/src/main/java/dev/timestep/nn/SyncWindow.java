package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;

/**
 * The batches {@code fit} runs between two host reads when {@link FitOptions#syncEvery} is above
 * 1: their losses and metric values are summed on the backend, the weights from before the
 * window are kept there, and the window's end is one read of the sums and of whether every
 * weight is still finite. On a GPU that is one wait for the device per window instead of
 * several per batch. All batches of a window have the same number of rows, so each sum times
 * that number is the window's share of the epoch's row-weighted means.
 */
final class SyncWindow implements AutoCloseable {
  private final Backend backend;
  private final Scope scope = new Scope();
  private final Tensor lossSum;
  private final Tensor[] metricSums;
  private final Tensor weightsBefore;
  private final FiniteCheck finiteCheck = new FiniteCheck();
  private int batches;
  private int rowsPerBatch;
  private int firstBatch;

  SyncWindow(Backend backend, ParameterStore store, int metrics) {
    this.backend = backend;
    lossSum = backend.allocate(Shape.of(1), scope);
    metricSums = new Tensor[metrics];
    for (int i = 0; i < metrics; i++) {
      metricSums[i] = backend.allocate(Shape.of(1), scope);
    }
    weightsBefore = backend.allocate(store.values().shape(), scope);
  }

  /** Batches run since {@link #begin}; 0 when no window is open. */
  int size() {
    return batches;
  }

  /** Rows of each batch of the open window. */
  int rowsPerBatch() {
    return rowsPerBatch;
  }

  /** Opens a window at batch {@code batch} (0-based) of {@code rows} rows: keeps the weights, zeroes the sums. */
  void begin(ParameterStore store, int batch, int rows) {
    backend.copy(store.values(), weightsBefore);
    backend.fill(lossSum, 0f);
    for (Tensor m : metricSums) {
      backend.fill(m, 0f);
    }
    batches = 0;
    rowsPerBatch = rows;
    firstBatch = batch;
  }

  /** Adds one batch's loss and metric values (scalars on the backend); nothing is read. */
  void add(Variable loss, Variable[] metricValues) {
    backend.accumulate(loss.value(), lossSum);
    for (int i = 0; i < metricSums.length; i++) {
      backend.accumulate(metricValues[i].value(), metricSums[i]);
    }
    batches++;
  }

  /**
   * Closes the window: returns the row-weighted sums, loss first then each metric. If the loss,
   * any weight or any value of the optimizer's state went NaN or infinite inside it, puts back
   * the weights from before the window and throws {@link IllegalStateException} naming
   * {@code epoch} and the window's batches.
   */
  double[] end(ParameterStore store, Optimizer optimizer, int epoch) {
    Tensor values = store.values();
    float loss = backend.readScalar(lossSum);
    boolean finite = Float.isFinite(loss) && finiteCheck.allFinite(backend, values, optimizer.state());
    int first = firstBatch + 1;
    int last = firstBatch + batches;
    batches = 0;
    if (!finite) {
      backend.copy(weightsBefore, values);
      throw new IllegalStateException("training diverged in epoch " + (epoch + 1) + ", batches " + first + "-" + last
          + " (the loss is read every " + (last - first + 1) + " batches, FitOptions.syncEvery): the loss, the"
          + " weights or the optimizer state turned NaN or infinite; the model keeps the weights from before batch "
          + first + ". Try a smaller learning rate or gradient clipping (Adam.clipNorm / clipValue), or syncEvery(1)"
          + " to stop at the exact batch; the optimizer's state includes the failed steps, so compile with a new"
          + " optimizer to continue");
    }
    double[] sums = new double[1 + metricSums.length];
    sums[0] = (double) loss * rowsPerBatch;
    for (int i = 0; i < metricSums.length; i++) {
      sums[1 + i] = (double) backend.readScalar(metricSums[i]) * rowsPerBatch;
    }
    return sums;
  }

  @Override
  public void close() {
    finiteCheck.close();
    scope.close();
  }
}
