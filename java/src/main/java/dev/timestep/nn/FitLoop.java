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
 * Trainable}): epochs, shuffling, batches, sync windows, divergence and history, for {@code fit}
 * and {@code trainOnBatch}. The model holds itself exclusively around a loop, so nothing here
 * guards against other threads; the loop only stops, between batches, when another thread is
 * closing the model.
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
   * {@code x} and one per output in {@code y}, all with the same number of samples (checked by the
   * caller).
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
    if (options.validationInputs() != null) {
      // fail before training, not after
      model.prepare("validation", options.validationInputs(), options.validationTargets());
    }
    return new FitLoop(model).run(x, y, options);
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
      List<Tensor> xb = new ArrayList<>();
      for (NDArray a : x) {
        xb.add(loop.backend.upload(a, tape.scope()));
      }
      List<Tensor> yb = new ArrayList<>();
      for (NDArray a : y) {
        yb.add(loop.backend.upload(a, tape.scope()));
      }
      window.begin(loop.store, -1, 0, x.get(0).dim(0));
      loop.step(tape, xb, yb, window);
      window.end(loop.store, loop.optimizer, null);
      return window.stepLoss();
    }
  }

  private History run(List<NDArray> x, List<NDArray> y, FitOptions options) {
    Backend b = backend;
    History history = new History();
    TrainingListener listener = options.listener();
    int n = x.get(0).dim(0);
    int batchSize = Math.min(options.batchSize(), n);
    int batches = (n + batchSize - 1) / batchSize;
    int[] order = identity(n);
    SplittableRandom shuffler = new SplittableRandom(options.seed());
    int syncEvery = options.syncEvery() > 0 ? options.syncEvery() : Math.max(1, b.syncInterval());
    int reported = names.size() - 1;
    // One batch per read: the model's own window, kept from step to step and call to call.
    try (Scope data = new Scope();
        SyncWindow ownWindow = syncEvery > 1 ? new SyncWindow(syncEvery, reported) : null) {
      SyncWindow window = ownWindow != null ? ownWindow : model.stepWindow();
      window.clear();
      List<Tensor> all = new ArrayList<>();
      for (NDArray a : x) {
        all.add(b.upload(a, data));
      }
      for (NDArray a : y) {
        all.add(b.upload(a, data));
      }
      // Each epoch's shuffled order is gathered once into a copy whose batches are then plain
      // views: one gather per epoch, not one per batch (on a GPU each gather sends the indices
      // across and waits for the device).
      List<Tensor> epochData = new ArrayList<>();
      for (Tensor t : all) {
        epochData.add(options.shuffle() ? b.allocateForOverwrite(t.shape(), data) : t);
      }
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        long start = System.nanoTime();
        listener.onEpochStart(epoch, options.epochs(), batches);
        if (options.shuffle()) {
          shuffle(order, shuffler);
          for (int i = 0; i < all.size(); i++) {
            b.gatherRows(all.get(i), order, 0, epochData.get(i));
          }
        }
        double lossSum = 0;
        double[] metricSums = new double[reported];
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
            List<Tensor> xb = new ArrayList<>();
            List<Tensor> yb = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
              Shape s = all.get(i).shape();
              Tensor rows = epochData.get(i).view(from * s.rowSize(), s.withFirst(count));
              (i < x.size() ? xb : yb).add(rows);
            }
            step(tape, xb, yb, window);
          }
          if (window.size() == window.capacity() || batch == batches - 1) {
            lossSum += window.end(store, optimizer, metricSums);
            listener.onBatchEnd(epoch, batch, batches, lossSum / Math.min(n, from + count));
          }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(names.get(0), lossSum / n);
        for (int i = 0; i < reported; i++) {
          values.put(names.get(1 + i), metricSums[i] / n);
        }
        if (options.validationInputs() != null) {
          for (Map.Entry<String, Double> e :
              model
                  .evaluate(options.validationInputs(), options.validationTargets(), batchSize)
                  .entrySet()) {
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
  private void step(Tape tape, List<Tensor> xb, List<Tensor> yb, SyncWindow window) {
    List<Variable> inputs = new ArrayList<>(xb.size());
    for (Tensor t : xb) {
      inputs.add(tape.constant(t));
    }
    List<Variable> targets = new ArrayList<>(yb.size());
    for (Tensor t : yb) {
      targets.add(tape.constant(t));
    }
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
