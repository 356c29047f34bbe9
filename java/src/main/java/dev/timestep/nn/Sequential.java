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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stack of layers trained as one model, with Keras' workflow: {@code compile}, then
 * {@code fit}, {@code evaluate}, {@code predict}. The model is built from the first data it
 * sees. It owns its parameters' memory: close it (try-with-resources) when done; any use
 * after {@link #close} throws {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> {@link #predict} and {@link #evaluate} (and saving, MC dropout, forecasts)
 * only read the weights: any number of threads may call them at once on one model, and each gets
 * exactly (bit for bit) what a sequential call returns. {@link #fit}, {@link #trainOnBatch} and
 * {@link #compile} change the model and need it alone: called while another thread is inside the
 * model, they throw {@link IllegalStateException} at once (they never wait), and a read called
 * during a fit throws the same way, so weights are never read half-updated or written twice.
 * {@link #close} waits for running calls instead (see there). Setters ({@link #add},
 * {@link #seed}, {@link #backend}) are for the thread that assembles the model. {@link #forward}
 * holds the model until its tape is closed, so a backward pass never reads freed weights; code
 * that reads the model across several calls holds it with {@link #lease}.
 *
 * <p><b>Divergence.</b> A loss or an update that becomes NaN or infinite stops training with an
 * {@link IllegalStateException} that names the epoch and batch; the model keeps the weights of
 * the last finite step.
 */
public final class Sequential implements AutoCloseable {
  private final List<Layer> layers = new ArrayList<>();
  private final ParameterStore store = new ParameterStore();
  private Backend backend;
  private long seed = 42;
  private Loss loss;
  private Optimizer optimizer;
  private final List<Metric> metrics = new ArrayList<>();
  private Shape inputShape;
  private Shape outputShape;
  private volatile boolean closed;
  /** Dropout seeds handed out by {@link #nextMaskSeed} (MC dropout, custom loops). */
  private final AtomicLong maskDraws = new AtomicLong();
  private final UsageGuard usage = new UsageGuard("this model");
  private final DivergenceGuard divergence = new DivergenceGuard();
  private final ModelMemory memory = ModelMemory.of(store, divergence, layers);
  private final Cleaner.Cleanable reclaim = ModelMemory.register(this, memory);

  public Sequential(Layer... layers) {
    for (Layer l : layers) {
      add(l);
    }
  }

  public Sequential add(Layer layer) {
    requireOpen();
    if (layer == null) {
      throw new IllegalArgumentException("layer must not be null");
    }
    if (isBuilt()) {
      throw new IllegalStateException("cannot add " + layer.name() + ": the model is already built");
    }
    LayerOwnership.claim(layer);
    layers.add(layer);
    return this;
  }

  /** Seed of the weight initializers (default 42). Set before the model is built. */
  public Sequential seed(long seed) {
    if (isBuilt()) {
      throw new IllegalStateException("seed must be set before the model is built");
    }
    this.seed = seed;
    return this;
  }

  /** Runs on this backend instead of {@link Backend#auto()}. Set before the model is built. */
  public Sequential backend(Backend backend) {
    if (isBuilt()) {
      throw new IllegalStateException("backend must be chosen before the model is built");
    }
    this.backend = backend;
    return this;
  }

  public Backend backend() {
    if (backend == null) {
      backend = Backend.auto();
    }
    return backend;
  }

  /** The seed of the weight initializers. */
  public long seed() {
    return seed;
  }

  /** The loss set by {@link #compile}, or null before it. */
  public Loss loss() {
    return loss;
  }

  /** The optimizer set by {@link #compile}, or null before it. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The metrics set by {@link #compile}, in order. */
  public List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /**
   * Sets the loss, the optimizer and the metrics reported beside the loss.
   *
   * @throws IllegalStateException when the model is closed or another thread is using it
   */
  public Sequential compile(Loss loss, Optimizer optimizer, Metric... metrics) {
    requireOpen();
    try (UsageGuard.Lease lease = usage.exclusive("compile", this)) {
      return compileAlone(loss, optimizer, metrics);
    }
  }

  private Sequential compileAlone(Loss loss, Optimizer optimizer, Metric... metrics) {
    requireOpen(); // again: close may have run between the first check and the lease
    if (loss == null || optimizer == null) {
      throw new IllegalArgumentException("compile needs a loss and an optimizer, got loss "
          + (loss == null ? "null" : loss.name()) + " and optimizer " + optimizer);
    }
    if (metrics == null) {
      throw new IllegalArgumentException("compile: metrics must not be null (pass none for no metrics)");
    }
    for (Metric m : metrics) {
      if (m == null) {
        throw new IllegalArgumentException("compile: metrics must not contain null");
      }
    }
    this.loss = loss;
    if (this.optimizer != null && this.optimizer != optimizer) {
      this.optimizer.close();
    }
    this.optimizer = optimizer;
    memory.optimizer(optimizer);
    this.metrics.clear();
    this.metrics.addAll(List.of(metrics));
    return this;
  }

  public boolean isBuilt() {
    return inputShape != null;
  }

  /** The per-sample shape the model was built for (batch axis excluded), or null before it is built. */
  public Shape inputShape() {
    return inputShape;
  }

  /** Whether {@link #close} was called (the parameters are then freed). */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Builds the layers for samples of the given shape (batch axis excluded). Idempotent, and safe
   * to race: concurrent first calls build once.
   */
  public Sequential build(Shape sampleShape) {
    requireOpen();
    try (UsageGuard.Lease lease = usage.shared("build", this)) {
      return buildOnce(sampleShape);
    }
  }

  private synchronized Sequential buildOnce(Shape sampleShape) {
    requireOpen(); // again: close may have run between the first check and the lease
    if (sampleShape == null) {
      throw new IllegalArgumentException("build: the sample shape must not be null");
    }
    if (isBuilt()) {
      if (sampleShape.rank() != inputShape.rank()) {
        throw new IllegalArgumentException("the model was built for samples of shape " + inputShape
            + " but got samples of shape " + sampleShape);
      }
      return this; // other lengths are each layer's to accept or refuse
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException("the model has no layers");
    }
    Shape s = sampleShape;
    for (Layer l : layers) {
      s = l.build(s, store);
    }
    store.allocate(backend(), seed);
    inputShape = sampleShape;
    outputShape = s;
    return this;
  }

  /**
   * Trains on (x, y) and returns the per-epoch history.
   *
   * @throws IllegalArgumentException for bad data (shapes, NaN/Inf, no samples) before any work
   * @throws IllegalStateException when training diverges (the message names epoch and batch; the
   *     weights stay those of the last finite step), or another thread is using the model
   */
  public History fit(NDArray x, NDArray y, FitOptions options) {
    requireOpen();
    try (UsageGuard.Lease lease = usage.exclusive("fit", this)) {
      return fitAlone(x, y, options);
    }
  }

  private History fitAlone(NDArray x, NDArray y, FitOptions options) {
    requireOpen(); // again: close may have run between the first check and the lease
    if (loss == null) {
      throw new IllegalStateException("compile the model before fit");
    }
    if (options == null) {
      throw new IllegalArgumentException("fit options must not be null (use FitOptions.defaults())");
    }
    DataChecks.pair("fit", x, y);
    if (options.validationX() != null) {
      DataChecks.pair("validation", options.validationX(), options.validationY());
    }
    build(x.shape().dropFirst());
    checkTargets("fit", x, y);
    if (options.validationX() != null) {
      checkTargets("validation", options.validationX(), options.validationY()); // fail before training, not after
    }
    Backend b = backend();
    History history = new History();
    TrainingListener listener = options.listener();
    int n = x.dim(0);
    int batchSize = Math.min(options.batchSize(), n);
    int batches = (n + batchSize - 1) / batchSize;
    int[] order = identity(n);
    SplittableRandom shuffler = new SplittableRandom(options.seed());
    int syncEvery = options.syncEvery() > 0 ? options.syncEvery() : Math.max(1, b.syncInterval());
    try (Scope data = new Scope();
        SyncWindow window = syncEvery > 1 ? new SyncWindow(b, store, metrics.size()) : null) {
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
          stopIfClosing("fit", "epoch " + (epoch + 1) + ", batch " + (batch + 1));
          if (window != null && window.size() > 0 && window.rowsPerBatch() != count) {
            lossSum += closeWindow(window, epoch, metricSums); // a window's batches are all the same size
            listener.onBatchEnd(epoch, batch - 1, batches, lossSum / from);
          }
          try (Tape tape = new Tape(b)) {
            Tensor xb = xEpoch.view(from * xAll.shape().rowSize(), xAll.shape().withFirst(count));
            Tensor yb = yEpoch.view(from * yAll.shape().rowSize(), yAll.shape().withFirst(count));
            if (window == null) {
              float batchLoss = step(tape, xb, yb, metricSums, count, "epoch " + (epoch + 1) + ", batch " + (batch + 1));
              lossSum += count * (double) batchLoss;
            } else {
              if (window.size() == 0) {
                window.begin(store, batch, count);
              }
              stepWithoutReading(tape, xb, yb, window);
            }
          }
          if (window == null) {
            listener.onBatchEnd(epoch, batch, batches, lossSum / Math.min(n, from + count));
          } else if (window.size() == syncEvery || batch == batches - 1) {
            lossSum += closeWindow(window, epoch, metricSums);
            listener.onBatchEnd(epoch, batch, batches, lossSum / Math.min(n, from + count));
          }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", lossSum / n);
        for (int i = 0; i < metrics.size(); i++) {
          values.put(metrics.get(i).name(), metricSums[i] / n);
        }
        if (options.validationX() != null) {
          for (Map.Entry<String, Double> e : evaluate(options.validationX(), options.validationY(), batchSize).entrySet()) {
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
   * One training step on one batch (Keras' {@code train_on_batch}): forward, loss, backward and
   * one optimizer update. Returns the batch loss.
   */
  public float trainOnBatch(NDArray x, NDArray y) {
    requireOpen();
    try (UsageGuard.Lease lease = usage.exclusive("trainOnBatch", this)) {
      return trainOnBatchAlone(x, y);
    }
  }

  private float trainOnBatchAlone(NDArray x, NDArray y) {
    requireOpen(); // again: close may have run between the first check and the lease
    if (loss == null) {
      throw new IllegalStateException("compile the model before trainOnBatch");
    }
    DataChecks.pair("trainOnBatch", x, y);
    build(x.shape().dropFirst());
    checkTargets("trainOnBatch", x, y);
    try (Tape tape = new Tape(backend())) {
      Tensor xb = backend().upload(x, tape.scope());
      Tensor yb = backend().upload(y, tape.scope());
      return step(tape, xb, yb, new double[metrics.size()], x.dim(0), "this batch");
    }
  }

  /** Closes a sync window: adds its metric sums to {@code metricSums}, returns its loss sum. */
  private double closeWindow(SyncWindow window, int epoch, double[] metricSums) {
    double[] sums = window.end(store, optimizer, epoch);
    for (int i = 0; i < metricSums.length; i++) {
      metricSums[i] += sums[1 + i];
    }
    return sums[0];
  }

  /** The loss, then each metric, of one training batch, on the tape. */
  private Variable[] lossAndMetrics(Tape tape, Tensor xb, Tensor yb) {
    Variable pred = forward(tape, tape.constant(xb), ForwardPass.training(trainingMaskSeed()));
    Variable target = tape.constant(yb);
    Variable[] out = new Variable[1 + metrics.size()];
    out[0] = loss.compute(tape, pred, target);
    for (int i = 0; i < metrics.size(); i++) {
      out[1 + i] = metrics.get(i).compute(tape, pred, target);
    }
    return out;
  }

  /**
   * A training step inside a sync window: forward, loss and metrics summed into the window on
   * the backend, backward, update; nothing is read back (the window checks finiteness at its end).
   */
  private void stepWithoutReading(Tape tape, Tensor xb, Tensor yb, SyncWindow window) {
    Variable[] values = lossAndMetrics(tape, xb, yb);
    Variable[] metricValues = Arrays.copyOfRange(values, 1, values.length);
    window.add(values[0], metricValues);
    store.zeroGrads();
    tape.backward(values[0]);
    optimizer.step(store);
  }

  /**
   * Forward, loss (checked finite before the update, so a diverged step never reaches the
   * weights), metrics (added to {@code metricSums} weighted by {@code count}), backward, update.
   */
  private float step(Tape tape, Tensor xb, Tensor yb, double[] metricSums, int count, String where) {
    Backend b = backend();
    Variable[] values = lossAndMetrics(tape, xb, yb);
    Variable lossValue = values[0];
    for (int i = 0; i < metrics.size(); i++) {
      metricSums[i] += count * (double) b.readScalar(values[1 + i].value());
    }
    float batchLoss = b.readScalar(lossValue.value());
    if (!Float.isFinite(batchLoss)) {
      throw new IllegalStateException("training diverged: loss is " + batchLoss + " at " + where
          + " (try a smaller learning rate)");
    }
    store.zeroGrads();
    tape.backward(lossValue);
    divergence.update(store, optimizer, where);
    return batchLoss;
  }

  /** The loss and every metric on (x, y), as Keras' {@code evaluate}: name → value. */
  public Map<String, Double> evaluate(NDArray x, NDArray y, int batchSize) {
    requireOpen();
    try (UsageGuard.Lease lease = usage.shared("evaluate", this)) {
      return evaluateShared(x, y, batchSize);
    }
  }

  private Map<String, Double> evaluateShared(NDArray x, NDArray y, int batchSize) {
    requireOpen(); // again: close may have run between the first check and the lease
    if (loss == null) {
      throw new IllegalStateException("compile the model before evaluate");
    }
    DataChecks.pair("evaluate", x, y);
    DataChecks.batchSize(batchSize);
    build(x.shape().dropFirst());
    checkTargets("evaluate", x, y);
    Backend b = backend();
    int n = x.dim(0);
    double lossSum = 0;
    double[] sums = new double[metrics.size()];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      try (Tape tape = new Tape(b, false)) {
        Variable pred = forward(tape, tape.constant(b.upload(x.rows(from, to), scopeOf(tape))), false);
        Variable target = tape.constant(b.upload(y.rows(from, to), scopeOf(tape)));
        lossSum += (to - from) * (double) b.readScalar(loss.compute(tape, pred, target).value());
        for (int i = 0; i < metrics.size(); i++) {
          sums[i] += (to - from) * (double) b.readScalar(metrics.get(i).compute(tape, pred, target).value());
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss", lossSum / n);
    for (int i = 0; i < metrics.size(); i++) {
      out.put(metrics.get(i).name(), sums[i] / n);
    }
    return out;
  }

  /** Predictions for every sample of x, computed in batches of 32. */
  public NDArray predict(NDArray x) {
    return predict(x, 32);
  }

  /** Predictions for every sample of x, computed in batches of {@code batchSize}. */
  public NDArray predict(NDArray x, int batchSize) {
    requireOpen();
    try (UsageGuard.Lease lease = usage.shared("predict", this)) {
      return predictShared(x, batchSize);
    }
  }

  private NDArray predictShared(NDArray x, int batchSize) {
    requireOpen(); // again: close may have run between the first check and the lease
    DataChecks.inputs("predict X", x);
    DataChecks.batchSize(batchSize);
    build(x.shape().dropFirst());
    outputShapeFor(x.shape().dropFirst()); // refuses lengths a layer cannot take, before any work
    Backend b = backend();
    int n = x.dim(0);
    float[] out = null;
    Shape outShape = null;
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      try (Tape tape = new Tape(b, false)) {
        Variable pred = forward(tape, tape.constant(b.upload(x.rows(from, to), scopeOf(tape))), false);
        NDArray part = b.download(pred.value());
        if (out == null) {
          outShape = pred.shape().withFirst(n);
          out = new float[Math.toIntExact(outShape.size())];
        }
        System.arraycopy(part.data(), 0, out, Math.toIntExact(from * outShape.rowSize()), part.data().length);
      }
    }
    return NonFiniteOutputException.requireFinite(new NDArray(outShape, out));
  }

  /**
   * Runs every layer on a batch; for custom training loops. With {@code training}, dropout
   * masks come from {@link #nextMaskSeed}.
   */
  public Variable forward(Tape tape, Variable input, boolean training) {
    return forward(tape, input, training ? ForwardPass.training(nextMaskSeed()) : ForwardPass.inference());
  }

  /**
   * Runs every layer on a batch as {@code pass} says (e.g. {@link ForwardPass#monteCarlo} for MC
   * dropout); each layer gets a seed of its own derived from the pass's seed and its position.
   */
  public Variable forward(Tape tape, Variable input, ForwardPass pass) {
    requireOpen();
    if (tape == null || input == null) {
      throw new IllegalArgumentException("forward needs a tape and an input, got tape " + tape + " and input " + input);
    }
    if (pass == null) {
      throw new IllegalArgumentException("forward: pass must not be null (use ForwardPass.inference())");
    }
    holdUntilClosed(tape);
    if (!isBuilt()) {
      build(input.shape().dropFirst());
    }
    Variable v = input;
    for (int i = 0; i < layers.size(); i++) {
      v = layers.get(i).forward(tape, v, pass.forLayer(i));
    }
    return v;
  }

  /**
   * Holds the model for the tape's life: a backward pass, or a download of the outputs, reads
   * the weights after forward returns, so close must wait until the tape is closed.
   */
  private void holdUntilClosed(Tape tape) {
    UsageGuard.Lease lease = usage.shared("forward", this);
    try {
      tape.scope().track(lease);
    } catch (IllegalStateException e) {
      lease.close();
      throw new IllegalArgumentException("forward: the tape is already closed; run forward on an open tape", e);
    }
  }

  /**
   * Holds the model for read-only use across several calls (saving it, MC dropout, a forecast
   * that predicts many times, a custom loop): until the lease is closed, {@link #close} waits and
   * fit, trainOnBatch and compile are refused. Predictions made meanwhile, on any thread, work.
   *
   * <pre>{@code
   * try (ModelLease held = model.lease("export")) {
   *   ... read the model's weights ...
   * }
   * }</pre>
   *
   * @throws IllegalStateException when the model is closed (or being closed) or is training
   */
  public ModelLease lease(String operation) {
    requireOpen();
    if (operation == null || operation.isBlank()) {
      throw new IllegalArgumentException("lease: name the operation (it appears in messages), got '" + operation + "'");
    }
    UsageGuard.Lease lease = usage.shared(operation, this);
    if (closed) {
      lease.close();
      requireOpen();
    }
    return lease;
  }

  /** Throws if a close is waiting: training stops between batches, with the weights whole. */
  private void stopIfClosing(String operation, String where) {
    if (usage.stopRequested()) {
      throw new IllegalStateException(operation + " stopped at " + where + ": another thread is closing this model"
          + " (its memory is freed as soon as this call returns); the weights are those of the last full step");
    }
  }

  /** Whether any layer drops units while dropout is active (so MC dropout can vary). */
  public boolean hasDropout() {
    for (Layer l : layers) {
      if (l.hasDropout()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A fresh seed for the dropout masks of one pass, from the model seed and a count of seeds
   * drawn so far: a model built with the same seed and used the same way draws the same masks.
   */
  public long nextMaskSeed() {
    return ForwardPass.mix(ForwardPass.mix(seed, 2), maskDraws.getAndIncrement());
  }

  /**
   * The mask seed of a {@code fit}/{@code trainOnBatch} step: from the model seed and the
   * optimizer's step count, which a saved model restores, so a loaded model continues with
   * the same masks the saved one would have drawn.
   */
  private long trainingMaskSeed() {
    return ForwardPass.mix(ForwardPass.mix(seed, 1), optimizer.iterations());
  }

  public ParameterStore parameters() {
    return store;
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /** A short description: layers, output shape, parameter count, backend. */
  public String summary() {
    StringBuilder sb = new StringBuilder("Sequential\n");
    for (Layer l : layers) {
      sb.append("  ").append(l.name()).append('\n');
    }
    sb.append("  input ").append(isBuilt() ? inputShape : "(not built)").append(" -> output ")
        .append(isBuilt() ? outputShape : "?").append(", ").append(store.count()).append(" parameters on ")
        .append(backend == null ? "(backend not chosen)" : backend.name());
    return sb.toString();
  }

  private void checkTargets(String what, NDArray x, NDArray y) {
    Shape expected = outputShapeFor(x.shape().dropFirst());
    Shape got = y.shape().dropFirst();
    if (!expected.equals(got)) {
      throw new IllegalArgumentException(what + ": the model outputs samples of shape " + expected
          + " but Y has samples of shape " + got);
    }
  }

  /** The per-sample output shape for samples of {@code sampleShape}, from the built layers. */
  private Shape outputShapeFor(Shape sampleShape) {
    Shape s = sampleShape;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  private static Scope scopeOf(Tape tape) {
    return tape.scope();
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

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this model (Sequential of " + layerNames() + ") was closed; its parameters "
          + "are freed and it cannot be used any more");
    }
  }

  private String layerNames() {
    List<String> names = new ArrayList<>();
    for (Layer l : layers) {
      names.add(l.name());
    }
    return String.join(" -> ", names);
  }

  /**
   * Frees the parameters and optimizer state. Calls already running on other threads finish
   * first: predictions, evaluations, saves and open tapes complete normally, and a running fit
   * stops at its next batch with an {@link IllegalStateException}; calls made after close began
   * are refused. The model cannot be used afterwards; closing again does nothing.
   *
   * <p>A model that is never closed is freed once the garbage collector finds it unreachable,
   * with a one-time warning; that is a safety net, not a way to manage memory.
   *
   * @throws IllegalStateException when called inside a call on this same model on this thread
   *     (a listener, a layer, or with a tape still open after {@link #forward}), which would wait
   *     for itself; or when interrupted while waiting (nothing is freed then)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    usage.closeWhenIdle(() -> {
      closed = true;
      if (!isBuilt()) {
        // Never built: its layers hold no weights yet and may move to another model.
        layers.forEach(LayerOwnership::release);
      }
      memory.closedByOwner();
      reclaim.clean();
    });
  }
}
