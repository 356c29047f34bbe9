package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a compiled {@link Sequential}: epochs, shuffling, batches, sync windows, divergence,
 * callbacks and history, for {@code fit} and {@code trainOnBatch}. The model holds itself
 * exclusively around a loop, so nothing here guards against other threads; the loop only stops,
 * between batches, when another thread is closing the model.
 *
 * <p>Every batch takes one path: it joins a {@link SyncWindow} (opened when none is), runs one
 * {@link #step}, and the window is read when it is full, at the end of the epoch, or before a batch
 * of another size. A window of one batch is a plain step, read at once; the window is also the one
 * divergence mechanism (see there).
 *
 * <p>Callbacks run as Keras runs them: {@code onTrainBatchBegin} when a window opens, {@code
 * onTrainBatchEnd} after each read with the epoch's running means, {@code onEpochEnd} after
 * validation, then the history records the epoch and the progress bar (verbose) prints it. A stop
 * request is honoured after the batch or epoch hook that made it. A diverged window reports a NaN
 * loss to {@code onTrainBatchEnd}; if a callback then stops training (TerminateOnNaN), the epoch
 * ends there with NaN training values and fit returns, with the weights the window restored;
 * otherwise the divergence is thrown as before.
 */
final class FitLoop {
  private final Sequential model;
  private final ParameterStore store;
  private final Backend backend;
  private final Loss loss;
  private final Optimizer optimizer;
  private final List<Metric> metrics;

  private FitLoop(Sequential model) {
    this.model = model;
    this.store = model.parameters();
    this.backend = model.backend();
    this.loss = model.loss();
    this.optimizer = model.optimizer();
    this.metrics = model.compiledMetrics();
  }

  /** {@link Sequential#fit}'s work, with the model held exclusively and open. */
  static History fit(Sequential model, NDArray x, NDArray y, FitOptions options) {
    if (model.loss() == null) {
      throw new IllegalStateException("compile the model before fit");
    }
    if (options == null) {
      throw new IllegalArgumentException(
          "fit options must not be null (use FitOptions.defaults())");
    }
    DataChecks.pair("fit", x, y);
    NDArray validationX = options.validationX();
    NDArray validationY = options.validationY();
    if (validationX != null) {
      DataChecks.pair("validation", validationX, validationY);
    } else if (options.validationSplit() > 0) {
      int n = x.dim(0);
      int trainRows = trainingRows(n, options.validationSplit());
      validationX = x.rows(trainRows, n);
      validationY = y.rows(trainRows, n);
      x = x.rows(0, trainRows);
      y = y.rows(0, trainRows);
    }
    model.build(x.shape().dropFirst());
    model.checkTargets("fit", x, y);
    if (validationX != null) {
      model.checkTargets("validation", validationX, validationY); // fail before training, not after
    }
    return new FitLoop(model).run(x, y, validationX, validationY, options);
  }

  /**
   * The rows that train under {@code validationSplit}: Keras' {@code floor(n * (1 - split))}, the
   * rest validate.
   */
  static int trainingRows(int n, double split) {
    int trainRows = (int) Math.floor(n * (1.0 - split));
    if (trainRows == 0 || trainRows == n) {
      throw new IllegalArgumentException(
          "validationSplit "
              + split
              + " of "
              + n
              + " rows leaves "
              + (trainRows == 0 ? "no row to train on" : "no row to validate on")
              + "; give more rows or another split");
    }
    return trainRows;
  }

  /** {@link Sequential#trainOnBatch}'s work, with the model held exclusively and open. */
  static float trainOnBatch(Sequential model, NDArray x, NDArray y) {
    if (model.loss() == null) {
      throw new IllegalStateException("compile the model before trainOnBatch");
    }
    DataChecks.pair("trainOnBatch", x, y);
    model.build(x.shape().dropFirst());
    model.checkTargets("trainOnBatch", x, y);
    FitLoop loop = new FitLoop(model);
    SyncWindow window = model.stepWindow();
    try (Tape tape = new Tape(loop.backend)) {
      Tensor xb = loop.backend.upload(x, tape.scope());
      Tensor yb = loop.backend.upload(y, tape.scope());
      window.begin(loop.store, -1, 0, x.dim(0));
      loop.step(tape, xb, yb, window);
      window.end(loop.store, loop.optimizer, null);
      return window.stepLoss();
    }
  }

  /** The row-weighted sums of one epoch so far. */
  private final class EpochTotals {
    double lossSum;
    final double[] metricSums = new double[metrics.size()];
    int rows;
    boolean diverged;

    /** The running means (Keras' batch logs), or the epoch's values once it is over. */
    Map<String, Double> means() {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", diverged ? Double.NaN : lossSum / rows);
      for (int i = 0; i < metrics.size(); i++) {
        logs.put(
            metrics.get(i).name(),
            diverged ? Double.NaN : metrics.get(i).result(metricSums[i] / rows));
      }
      return logs;
    }
  }

  private History run(
      NDArray x, NDArray y, NDArray validationX, NDArray validationY, FitOptions options) {
    Backend b = backend;
    int n = x.dim(0);
    int batchSize = Math.min(options.batchSize(), n);
    int batches = (n + batchSize - 1) / batchSize;
    FitParams params = new FitParams(options.epochs(), batches, options.verbose());
    History history = new History(params);
    List<Callback> all = new ArrayList<>(options.callbacks());
    all.add(new HistoryRecorder(history));
    if (options.verbose() > 0) {
      all.add(ProgressBar.forVerbose(options.verbose()));
    }
    int[] order = identity(n);
    SplittableRandom shuffler = new SplittableRandom(options.seed());
    int syncEvery = options.syncEvery() > 0 ? options.syncEvery() : Math.max(1, b.syncInterval());
    // One batch per read: the model's own window, kept from step to step and call to call.
    try (Scope data = new Scope();
        SyncWindow ownWindow = syncEvery > 1 ? new SyncWindow(syncEvery, metrics.size()) : null;
        CallbackList callbacks = new CallbackList(model, params, all)) {
      SyncWindow window = ownWindow != null ? ownWindow : model.stepWindow();
      window.clear();
      Tensor xAll = b.upload(x, data);
      Tensor yAll = b.upload(y, data);
      // Each epoch's shuffled order is gathered once into a copy whose batches are then plain
      // views: one gather per epoch, not one per batch (on a GPU each gather sends the indices
      // across and waits for the device).
      Tensor xEpoch = options.shuffle() ? b.allocateForOverwrite(xAll.shape(), data) : xAll;
      Tensor yEpoch = options.shuffle() ? b.allocateForOverwrite(yAll.shape(), data) : yAll;
      callbacks.onTrainBegin();
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        callbacks.onEpochBegin(epoch);
        if (options.shuffle()) {
          shuffle(order, shuffler);
          b.gatherRows(xAll, order, 0, xEpoch);
          b.gatherRows(yAll, order, 0, yEpoch);
        }
        EpochTotals totals = new EpochTotals();
        for (int batch = 0; batch < batches; batch++) {
          int from = batch * batchSize;
          int count = Math.min(batchSize, n - from);
          betweenBatches(epoch, batch);
          int ending = batch - 1; // the last batch of the window a divergence ends
          try {
            if (window.size() > 0 && window.rowsPerBatch() != count) {
              endWindow(window, totals, batch - 1, callbacks); // a window's batches are one size
              if (callbacks.stopRequested()) {
                break;
              }
            }
            ending = batch;
            if (window.size() == 0) {
              window.begin(store, epoch, batch, count);
              callbacks.onTrainBatchBegin(batch);
            }
            try (Tape tape = new Tape(b)) {
              Tensor xb = xEpoch.view(from * xAll.shape().rowSize(), xAll.shape().withFirst(count));
              Tensor yb = yEpoch.view(from * yAll.shape().rowSize(), yAll.shape().withFirst(count));
              step(tape, xb, yb, window);
            }
            if (window.size() == window.capacity() || batch == batches - 1) {
              endWindow(window, totals, batch, callbacks);
              if (callbacks.stopRequested()) {
                break;
              }
            }
          } catch (TrainingDivergedException e) {
            window.clear();
            totals.diverged = true;
            callbacks.onTrainBatchEnd(ending, totals.means());
            if (!callbacks.stopRequested()) {
              throw e;
            }
            break;
          }
        }
        logs = totals.means();
        if (validationX != null) {
          for (Map.Entry<String, Double> e :
              model.evaluate(validationX, validationY, batchSize).entrySet()) {
            logs.put("val_" + e.getKey(), e.getValue());
          }
        }
        callbacks.onEpochEnd(epoch, logs);
        if (callbacks.stopRequested()) {
          break;
        }
      }
      callbacks.onTrainEnd(logs);
    }
    return history;
  }

  /** Reads and closes the open window into the epoch's totals, then runs the batch-end hooks. */
  private void endWindow(SyncWindow window, EpochTotals totals, int batch, CallbackList callbacks) {
    int rows = window.size() * window.rowsPerBatch();
    totals.lossSum += window.end(store, optimizer, totals.metricSums);
    totals.rows += rows;
    callbacks.onTrainBatchEnd(batch, totals.means());
  }

  /**
   * Records each epoch into the history, after the user's callbacks have seen (and added to) it.
   */
  private static final class HistoryRecorder extends Callback {
    private final History history;
    private long start;

    HistoryRecorder(History history) {
      this.history = history;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
      start = System.nanoTime();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
      history.add(logs, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Before each batch: stops the fit, with the weights of the last whole step, if the model is
   * closing.
   */
  private void betweenBatches(int epoch, int batch) {
    model.stopIfClosing("fit", epoch, batch);
  }

  /**
   * The one training step: forward, loss and metrics into the window (a one-batch window reads them
   * and refuses a non-finite loss before the update), backward, update. The window's end checks
   * that the update left everything finite.
   */
  private void step(Tape tape, Tensor xb, Tensor yb, SyncWindow window) {
    Variable pred =
        model.forward(tape, tape.constant(xb), ForwardPass.training(model.trainingMaskSeed()));
    Variable target = tape.constant(yb);
    Variable[] values = new Variable[1 + metrics.size()];
    values[0] = loss.compute(tape, pred, target);
    for (int i = 0; i < metrics.size(); i++) {
      values[1 + i] = metrics.get(i).compute(tape, pred, target);
    }
    window.add(values);
    store.zeroGrads();
    tape.backward(values[0]);
    optimizer.step(store);
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
