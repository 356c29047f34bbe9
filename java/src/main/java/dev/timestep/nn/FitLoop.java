package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a compiled {@link Sequential}: epochs, shuffling, batches, sync windows, divergence and
 * history, for {@code fit} and {@code trainOnBatch}. The model holds itself exclusively around a
 * loop, so nothing here guards against other threads; the loop only stops, between batches, when
 * another thread is closing the model.
 *
 * <p>Every batch takes one path: it joins a {@link SyncWindow} (opened when none is), runs one
 * {@link #step}, and the window is read when it is full, at the end of the epoch, or before a batch
 * of another size. A window of one batch is a plain step, read at once; the window is also the one
 * divergence mechanism (see there).
 *
 * <p>Callbacks plug in at the listener calls ({@code onEpochStart}; {@code onBatchEnd} after each
 * read, with the epoch's running mean loss; {@code onEpochEnd} with the values also recorded in the
 * history), and a request to end training early belongs where {@link #betweenBatches} checks for a
 * close, so a stopped fit keeps the weights of a whole step.
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
    if (options.validationX() != null) {
      DataChecks.pair("validation", options.validationX(), options.validationY());
    }
    model.build(x.shape().dropFirst());
    model.checkTargets("fit", x, y);
    if (options.validationX() != null) {
      model.checkTargets(
          "validation",
          options.validationX(),
          options.validationY()); // fail before training, not after
    }
    return new FitLoop(model).run(x, y, options);
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

  private History run(NDArray x, NDArray y, FitOptions options) {
    Backend b = backend;
    History history = new History();
    TrainingListener listener = options.listener();
    int n = x.dim(0);
    int batchSize = Math.min(options.batchSize(), n);
    int batches = (n + batchSize - 1) / batchSize;
    int[] order = identity(n);
    SplittableRandom shuffler = new SplittableRandom(options.seed());
    int syncEvery = options.syncEvery() > 0 ? options.syncEvery() : Math.max(1, b.syncInterval());
    // One batch per read: the model's own window, kept from step to step and call to call.
    try (Scope data = new Scope();
        SyncWindow ownWindow = syncEvery > 1 ? new SyncWindow(syncEvery, metrics.size()) : null) {
      SyncWindow window = ownWindow != null ? ownWindow : model.stepWindow();
      window.clear();
      Tensor xAll = b.upload(x, data);
      Tensor yAll = b.upload(y, data);
      // Each epoch's shuffled order is gathered once into a copy whose batches are then plain
      // views: one gather per epoch, not one per batch (on a GPU each gather sends the indices
      // across and waits for the device).
      Tensor xEpoch = options.shuffle() ? b.allocateForOverwrite(xAll.shape(), data) : xAll;
      Tensor yEpoch = options.shuffle() ? b.allocateForOverwrite(yAll.shape(), data) : yAll;
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        long start = System.nanoTime();
        listener.onEpochStart(epoch, options.epochs(), batches);
        if (options.shuffle()) {
          shuffle(order, shuffler);
          b.gatherRows(xAll, order, 0, xEpoch);
          b.gatherRows(yAll, order, 0, yEpoch);
        }
        double lossSum = 0;
        double[] metricSums = new double[metrics.size()];
        for (int batch = 0; batch < batches; batch++) {
          int from = batch * batchSize;
          int count = Math.min(batchSize, n - from);
          betweenBatches(epoch, batch);
          if (window.size() > 0 && window.rowsPerBatch() != count) {
            lossSum +=
                window.end(
                    store, optimizer, metricSums); // a window's batches are all the same size
            listener.onBatchEnd(epoch, batch - 1, batches, lossSum / from);
          }
          if (window.size() == 0) {
            window.begin(store, epoch, batch, count);
          }
          try (Tape tape = new Tape(b)) {
            Tensor xb = xEpoch.view(from * xAll.shape().rowSize(), xAll.shape().withFirst(count));
            Tensor yb = yEpoch.view(from * yAll.shape().rowSize(), yAll.shape().withFirst(count));
            step(tape, xb, yb, window);
          }
          if (window.size() == window.capacity() || batch == batches - 1) {
            lossSum += window.end(store, optimizer, metricSums);
            listener.onBatchEnd(epoch, batch, batches, lossSum / Math.min(n, from + count));
          }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", lossSum / n);
        for (int i = 0; i < metrics.size(); i++) {
          values.put(metrics.get(i).name(), metrics.get(i).result(metricSums[i] / n));
        }
        if (options.validationX() != null) {
          for (Map.Entry<String, Double> e :
              model.evaluate(options.validationX(), options.validationY(), batchSize).entrySet()) {
            values.put("val_" + e.getKey(), e.getValue());
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        history.add(values, seconds);
        listener.onEpochEnd(epoch, options.epochs(), values, seconds);
      }
    }
    return history;
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
