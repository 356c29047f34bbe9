package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a compiled model ({@link Sequential} or the functional {@link Model}, through {@link
 * Trainable}): epochs, shuffling, batches, sync windows, divergence, callbacks and history, for
 * {@code fit} and {@code trainOnBatch}. Data come as lists: one array per model input and one per
 * output. The model holds itself exclusively around a loop, so nothing here guards against other
 * threads; the loop only stops, between batches, when another thread is closing the model.
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
  private final Trainable model;
  private final ParameterStore store;
  private final Backend backend;
  private final Optimizer optimizer;
  private final List<String> names;

  private FitLoop(Trainable model) {
    this.model = model;
    this.store = model.parameters();
    this.backend = model.backend();
    this.optimizer = model.optimizer();
    this.names = model.valueNames();
  }

  /**
   * A model's {@code fit}, with the model held exclusively and open: one array per model input in
   * {@code x} and one per output in {@code y}.
   */
  static History fit(Trainable model, List<NDArray> x, List<NDArray> y, FitOptions options) {
    if (!model.isCompiled()) {
      throw new IllegalStateException("compile the model before fit");
    }
    if (options == null) {
      throw new IllegalArgumentException(
          "fit options must not be null (use FitOptions.defaults())");
    }
    model.prepare("fit", x, y);
    StatefulLayers.checkFit(model.publicModel().layers(), x.get(0).dim(0), options);
    List<NDArray> validationX = options.validationInputs();
    List<NDArray> validationY = options.validationTargets();
    if (validationX == null && options.validationSplit() > 0) {
      int n = x.get(0).dim(0);
      int trainRows = trainingRows(n, options.validationSplit());
      validationX = rows(x, trainRows, n);
      validationY = rows(y, trainRows, n);
      x = rows(x, 0, trainRows);
      y = rows(y, 0, trainRows);
    }
    if (validationX != null) {
      model.prepare("validation", validationX, validationY); // fail before training, not after
    }
    return new FitLoop(model).run(x, y, validationX, validationY, options);
  }

  private static List<NDArray> rows(List<NDArray> arrays, int from, int to) {
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      out.add(a.rows(from, to));
    }
    return out;
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

  /** A model's {@code trainOnBatch}, with the model held exclusively and open. */
  static float trainOnBatch(Trainable model, List<NDArray> x, List<NDArray> y) {
    if (!model.isCompiled()) {
      throw new IllegalStateException("compile the model before trainOnBatch");
    }
    model.prepare("trainOnBatch", x, y);
    FitLoop loop = new FitLoop(model);
    SyncWindow window = model.stepWindow();
    try (Tape tape = new Tape(loop.backend)) {
      List<Variable> inputs = new ArrayList<>(x.size());
      for (NDArray a : x) {
        inputs.add(tape.constant(loop.backend.upload(a, tape.scope())));
      }
      List<Variable> targets = new ArrayList<>(y.size());
      for (NDArray a : y) {
        targets.add(tape.constant(loop.backend.upload(a, tape.scope())));
      }
      window.begin(loop.store, -1, 0, x.get(0).dim(0));
      loop.step(tape, inputs, targets, window);
      window.end(loop.store, loop.optimizer, null);
      return window.stepLoss();
    }
  }

  /** The row-weighted sums of one epoch so far. */
  private final class EpochTotals {
    double lossSum;
    final double[] metricSums = new double[names.size() - 1];
    int rows;
    boolean diverged;

    /** The running means (Keras' batch logs), or the epoch's values once it is over. */
    Map<String, Double> means() {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put(names.get(0), diverged ? Double.NaN : lossSum / rows);
      for (int i = 0; i < metricSums.length; i++) {
        logs.put(
            names.get(1 + i), diverged ? Double.NaN : model.report(1 + i, metricSums[i] / rows));
      }
      return logs;
    }
  }

  private History run(
      List<NDArray> x,
      List<NDArray> y,
      List<NDArray> validationX,
      List<NDArray> validationY,
      FitOptions options) {
    Backend b = backend;
    int n = x.get(0).dim(0);
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
        SyncWindow ownWindow = syncEvery > 1 ? new SyncWindow(syncEvery, names.size() - 1) : null;
        CallbackList callbacks = new CallbackList(model.publicModel(), params, all)) {
      SyncWindow window = ownWindow != null ? ownWindow : model.stepWindow();
      window.clear();
      List<Tensor> arrays = new ArrayList<>(); // the inputs, then the targets
      for (NDArray a : x) {
        arrays.add(b.upload(a, data));
      }
      for (NDArray a : y) {
        arrays.add(b.upload(a, data));
      }
      // On a device, each epoch's shuffled order is gathered once into a copy whose batches are
      // then plain views: one gather per epoch, not one per batch (each gather sends the indices
      // across and waits for the device). On the host a gather is a plain copy, so each batch
      // gathers its own rows instead of the loop holding a second copy of the whole data set.
      boolean gatherEachBatch = options.shuffle() && b.syncInterval() == 1;
      boolean gatherEachEpoch = options.shuffle() && !gatherEachBatch;
      List<Tensor> epochArrays = new ArrayList<>(arrays.size());
      for (Tensor t : arrays) {
        epochArrays.add(gatherEachEpoch ? b.allocateForOverwrite(t.shape(), data) : t);
      }
      callbacks.onTrainBegin();
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        callbacks.onEpochBegin(epoch);
        if (options.shuffle()) {
          shuffle(order, shuffler);
        }
        if (gatherEachEpoch) {
          for (int i = 0; i < arrays.size(); i++) {
            b.gatherRows(arrays.get(i), order, 0, epochArrays.get(i));
          }
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
              List<Variable> inputs = new ArrayList<>(x.size());
              List<Variable> targets = new ArrayList<>(y.size());
              for (int i = 0; i < arrays.size(); i++) {
                Shape s = arrays.get(i).shape();
                Tensor rows;
                if (gatherEachBatch) {
                  rows = b.allocateForOverwrite(s.withFirst(count), tape.scope());
                  b.gatherRows(arrays.get(i), order, from, rows);
                } else {
                  rows = epochArrays.get(i).view(from * s.rowSize(), s.withFirst(count));
                }
                (i < x.size() ? inputs : targets).add(tape.constant(rows));
              }
              step(tape, inputs, targets, window);
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
  private void step(Tape tape, List<Variable> inputs, List<Variable> targets, SyncWindow window) {
    Variable[] values =
        model.lossAndMetrics(tape, inputs, targets, ForwardPass.training(model.trainingMaskSeed()));
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
