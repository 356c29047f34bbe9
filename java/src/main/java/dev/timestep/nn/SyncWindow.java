package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * The batches training runs between two host reads, and the one divergence mechanism: a window
 * keeps the weights from before its first batch and, at its end, reads whether the loss, every
 * weight and every value of the optimizer's state are still finite; if not, it puts the weights
 * back and throws {@link TrainingDivergedException} naming where. The check is {@link
 * Backend#allFinite}: one read per window.
 *
 * <p>A window of {@code capacity} batches above 1 ({@link FitOptions#syncEvery}) sums the losses
 * and metric values on the backend and reads them once at its end: on a GPU that is one wait for
 * the device per window instead of several per batch. All batches of a window have the same number
 * of rows, so each sum times that number is the window's share of the epoch's row-weighted means. A
 * window of one batch (a training step: {@code syncEvery(1)}, the CPU backends' choice, and {@code
 * trainOnBatch}) reads the loss and metrics directly instead, so it refuses a non-finite loss
 * before the update touches the weights or the optimizer state, and names the exact batch. A
 * one-batch window is reused step after step: nothing is allocated per step.
 */
final class SyncWindow implements AutoCloseable {
  private final int capacity;
  private final int metrics;
  private final Scope scope = new Scope();
  private Backend backend;
  private Tensor weightsBefore;

  /** What the finiteness check reads, and where it writes: allocated once, reused per step. */
  private Tensor[] checked;

  private Tensor finiteScratch;

  /** Windows above one batch: the sums on the backend. */
  private Tensor lossSum;

  private Tensor[] metricSums;

  /** One-batch windows: the values read. */
  private float stepLoss;

  private double[] stepMetrics = new double[0];
  private int batches;
  private int rowsPerBatch;
  private int epoch;
  private int firstBatch;

  /**
   * A window of up to {@code capacity} batches; {@code metrics} is how many metric values each
   * batch adds (windows of one batch take it from each batch instead).
   */
  SyncWindow(int capacity, int metrics) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a sync window holds at least 1 batch, got " + capacity);
    }
    this.capacity = capacity;
    this.metrics = metrics;
  }

  /** The most batches a window holds before it is read. */
  int capacity() {
    return capacity;
  }

  /** Batches run since {@link #begin}; 0 when no window is open. */
  int size() {
    return batches;
  }

  /** Rows of each batch of the open window. */
  int rowsPerBatch() {
    return rowsPerBatch;
  }

  /** Forgets a window left open by a step that failed; the next batch begins a new one. */
  void clear() {
    batches = 0;
  }

  /**
   * Opens a window at batch {@code batch} (0-based) of epoch {@code epoch} (0-based; negative for a
   * lone batch, {@code trainOnBatch}) of {@code rows} rows: keeps the weights, zeroes the sums.
   */
  void begin(ParameterStore store, int epoch, int batch, int rows) {
    if (weightsBefore == null) {
      backend = store.backend();
      weightsBefore = backend.allocate(store.values().shape(), scope);
      if (capacity > 1) {
        lossSum = backend.allocate(Shape.of(1), scope);
        metricSums = new Tensor[metrics];
        for (int i = 0; i < metrics; i++) {
          metricSums[i] = backend.allocate(Shape.of(1), scope);
        }
      }
    }
    backend.copy(store.values(), weightsBefore);
    if (capacity > 1) {
      backend.fill(lossSum, 0f);
      for (Tensor m : metricSums) {
        backend.fill(m, 0f);
      }
    }
    batches = 0;
    rowsPerBatch = rows;
    this.epoch = epoch;
    firstBatch = batch;
  }

  /**
   * Adds one batch's loss ({@code values[0]}) and metric values (the rest), scalars on the backend.
   * A window of several batches sums them there and reads nothing; a window of one reads them, and
   * throws before any update if the loss is not finite.
   */
  void add(Variable[] values) {
    if (capacity > 1) {
      backend.accumulate(values[0].value(), lossSum);
      for (int i = 0; i < metricSums.length; i++) {
        backend.accumulate(values[1 + i].value(), metricSums[i]);
      }
    } else {
      if (stepMetrics.length != values.length - 1) {
        stepMetrics = new double[values.length - 1];
      }
      for (int i = 0; i < stepMetrics.length; i++) {
        stepMetrics[i] = backend.readScalar(values[1 + i].value());
      }
      stepLoss = backend.readScalar(values[0].value());
      if (!Float.isFinite(stepLoss)) {
        batches = 0; // nothing was updated: the weights are those from before this batch
        throw new TrainingDivergedException(
            "training diverged: loss is "
                + stepLoss
                + " at "
                + where()
                + " (try a smaller learning rate)");
      }
    }
    batches++;
  }

  /** The loss of a one-batch window's batch, read by {@link #add}. */
  float stepLoss() {
    return stepLoss;
  }

  /**
   * Closes the window: adds its row-weighted metric sums to {@code metricSums} (when not null) and
   * returns its row-weighted loss sum. If the loss, any weight or any value of the optimizer's
   * state went NaN or infinite inside it, puts back the weights from before the window and throws
   * {@link TrainingDivergedException} naming the window's epoch and batches.
   */
  double end(ParameterStore store, Optimizer optimizer, double[] metricSums) {
    Tensor values = store.values();
    float loss = capacity > 1 ? backend.readScalar(lossSum) : stepLoss;
    boolean finite = Float.isFinite(loss) && allFinite(values, optimizer.state());
    int ran = batches;
    batches = 0;
    if (!finite) {
      backend.copy(weightsBefore, values);
      throw capacity > 1
          ? windowDiverged(ran)
          : new TrainingDivergedException(
              "training diverged at "
                  + where()
                  + ": the update made the weights or the optimizer state NaN or infinite (non-finite gradients, or a"
                  + " gradient or step beyond float range, as inputs of extreme magnitude give); the model keeps the weights"
                  + " from before this update. Try a smaller learning rate, gradient clipping (the optimizer's clipNorm / clipValue) or"
                  + " scaled inputs; the optimizer's state includes the failed step, so compile with a new optimizer to"
                  + " continue");
    }
    if (metricSums != null) {
      for (int i = 0; i < metricSums.length; i++) {
        metricSums[i] +=
            capacity > 1
                ? (double) backend.readScalar(this.metricSums[i]) * rowsPerBatch
                : stepMetrics[i] * rowsPerBatch;
      }
    }
    return (double) loss * rowsPerBatch;
  }

  /** Where a one-batch window's batch is, for messages. */
  private String where() {
    return epoch < 0 ? "this batch" : "epoch " + (epoch + 1) + ", batch " + (firstBatch + 1);
  }

  private TrainingDivergedException windowDiverged(int ran) {
    int first = firstBatch + 1;
    int last = firstBatch + ran;
    return new TrainingDivergedException(
        "training diverged in epoch "
            + (epoch + 1)
            + ", batches "
            + first
            + "-"
            + last
            + " (the loss is read every "
            + (last - first + 1)
            + " batches, FitOptions.syncEvery): the loss, the"
            + " weights or the optimizer state turned NaN or infinite; the model keeps the weights from before batch "
            + first
            + ". Try a smaller learning rate or gradient clipping (the optimizer's clipNorm / clipValue), or syncEvery(1)"
            + " to stop at the exact batch; the optimizer's state includes the failed steps, so compile with a new"
            + " optimizer to continue");
  }

  /** The weights and the optimizer state, checked into a scratch vector kept across steps. */
  private boolean allFinite(Tensor weights, List<Tensor> optimizerState) {
    int count = 1 + optimizerState.size();
    if (checked == null || checked.length != count) {
      checked = new Tensor[count];
      finiteScratch = backend.allocateForOverwrite(Shape.of(count), scope);
    }
    checked[0] = weights;
    for (int i = 0; i < optimizerState.size(); i++) {
      checked[1 + i] = optimizerState.get(i);
    }
    return backend.allFiniteInto(finiteScratch, checked);
  }

  @Override
  public void close() {
    scope.close();
    weightsBefore = null;
    checked = null;
    finiteScratch = null;
    lossSum = null;
    metricSums = null;
  }
}
