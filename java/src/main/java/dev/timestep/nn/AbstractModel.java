package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link Sequential} and the functional {@link Model} share: the seed and backend, the
 * compiled loss, optimizer and metrics, the parameter store and its Keras view, dropout seeds, and
 * the usage guard that keeps a model's memory alive while calls read it (so {@link #close} waits
 * for them, and a fit stops between batches when another thread closes the model). A subclass adds
 * how its layers connect and how data flow through them.
 *
 * @param <M> the subclass, so the fluent setters return it
 */
public abstract sealed class AbstractModel<M extends AbstractModel<M>> implements TrainableModel
    permits Sequential, Model {
  final ParameterStore store = new ParameterStore();

  /** Which store arrays each layer declared, and their Keras view. */
  final ModelWeights weights = new ModelWeights(store);

  final List<Metric> metrics = new ArrayList<>();
  final UsageGuard usage = new UsageGuard("this model");

  /**
   * The window of one batch that {@link FitLoop} steps through, kept so a step allocates nothing.
   */
  final SyncWindow stepWindow = new SyncWindow(1, 0);

  /** Dropout seeds handed out by {@link #nextMaskSeed} (MC dropout, custom loops). */
  private final AtomicLong maskDraws = new AtomicLong();

  private Backend backend;
  private long seed = 42;
  Loss loss;
  Optimizer optimizer;
  volatile boolean closed;
  private ModelMemory memory;
  private Cleaner.Cleanable reclaim;

  AbstractModel() {}

  /** This model as its own class. */
  abstract M self();

  /** "Sequential of a -> b" or "Model of [a, b]": names the model in messages. */
  abstract String describe();

  /**
   * Starts tracking the model's memory for its Cleaner safety net; the subclass calls it once its
   * layers are known.
   */
  final void trackMemory(String kind, List<Layer> layers) {
    memory = ModelMemory.of(kind, store, stepWindow, layers);
    reclaim = ModelMemory.register(this, memory);
  }

  /** Seed of the weight initializers (default 42). Set before the model is built. */
  public M seed(long seed) {
    if (isBuilt()) {
      throw new IllegalStateException("seed must be set before the model is built");
    }
    this.seed = seed;
    return self();
  }

  /** Runs on this backend instead of {@link Backend#auto()}. Set before the model is built. */
  public M backend(Backend backend) {
    if (isBuilt()) {
      throw new IllegalStateException("backend must be chosen before the model is built");
    }
    this.backend = backend;
    return self();
  }

  @Override
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

  /** The loss set by {@code compile}, or null before it. */
  public Loss loss() {
    return loss;
  }

  /** The optimizer set by {@code compile}, or null before it. */
  @Override
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The metrics set by {@code compile}, in order. */
  public List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /** Whether {@link #close} was called (the parameters are then freed). */
  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public ParameterStore parameters() {
    return store;
  }

  /**
   * Forgets the states that the stateful recurrent layers carry from call to call (Keras' {@code
   * reset_states}); the next call starts them from zeros.
   */
  public void resetStates() {
    StatefulLayers.reset(layers());
  }

  /** Whether any layer drops units while dropout is active (so MC dropout can vary). */
  public boolean hasDropout() {
    return layers().stream().anyMatch(Layer::hasDropout);
  }

  /**
   * A fresh seed for the dropout masks of one pass, from the model seed and a count of seeds drawn
   * so far: a model built with the same seed and used the same way draws the same masks.
   */
  public long nextMaskSeed() {
    return ForwardPass.mix(ForwardPass.mix(seed, 2), maskDraws.getAndIncrement());
  }

  /**
   * The mask seed of a {@code fit}/{@code trainOnBatch} step: from the model seed and the
   * optimizer's step count, which a saved model restores, so a loaded model continues with the same
   * masks the saved one would have drawn.
   */
  long trainingMaskSeed() {
    return ForwardPass.mix(ForwardPass.mix(seed, 1), optimizer.iterations());
  }

  /**
   * Makes {@code loss}, {@code optimizer} and {@code metrics} the compiled ones (checked by the
   * caller, except that metrics cannot go with a loss of several outputs per target value, which is
   * refused here before anything changes); the optimizer compiled before, if another, is closed.
   */
  final void setCompiled(Loss loss, Optimizer optimizer, Metric[] metrics) {
    if (loss.predictionsPerTarget() > 1 && metrics.length > 0) {
      throw new IllegalArgumentException(
          "compile: the "
              + loss.name()
              + " loss gives "
              + loss.predictionsPerTarget()
              + " outputs per target value, but a metric compares one output with one target value;"
              + " compile it without metrics");
    }
    this.loss = loss;
    if (this.optimizer != null && this.optimizer != optimizer) {
      this.optimizer.close();
    }
    this.optimizer = optimizer;
    memory.optimizer(optimizer);
    this.metrics.clear();
    this.metrics.addAll(List.of(metrics));
  }

  /**
   * Holds the model for read-only use across several calls (saving it, MC dropout, a forecast that
   * predicts many times, a custom loop): until the lease is closed, {@link #close} waits and fit,
   * trainOnBatch and compile are refused. Predictions made meanwhile, on any thread, work.
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
      throw new IllegalArgumentException(
          "lease: name the operation (it appears in messages), got '" + operation + "'");
    }
    return shared(operation);
  }

  /**
   * Holds the model for the tape's life: a backward pass, or a download of the outputs, reads the
   * weights after forward returns, so close must wait until the tape is closed.
   */
  final void holdUntilClosed(Tape tape) {
    UsageGuard.Lease lease = usage.shared("forward", this);
    try {
      tape.scope().track(lease);
    } catch (IllegalStateException e) {
      lease.close();
      throw new IllegalArgumentException(
          "forward: the tape is already closed; run forward on an open tape", e);
    }
  }

  /**
   * Enters a call that changes the model ({@code fit}, {@code trainOnBatch}, {@code compile}),
   * alone: refused while another thread uses the model. Checks the model is open before and, since
   * close may have run between that check and the lease, again after.
   */
  final UsageGuard.Lease exclusively(String operation) {
    requireOpen();
    return openOrLeave(usage.exclusive(operation, this));
  }

  /** As {@link #exclusively}, but joins this thread's own running fit (a callback's change). */
  final UsageGuard.Lease exclusivelyOrWithin(String operation) {
    requireOpen();
    return openOrLeave(usage.exclusiveOrWithin(operation, this));
  }

  /**
   * Enters a read-only call, alongside other readers; checks the model is open as {@link
   * #exclusively} does.
   */
  final UsageGuard.Lease shared(String operation) {
    requireOpen();
    return openOrLeave(usage.shared(operation, this));
  }

  private UsageGuard.Lease openOrLeave(UsageGuard.Lease lease) {
    if (closed) { // again: close may have run between the first check and the lease
      lease.close();
      requireOpen();
    }
    return lease;
  }

  final void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "this model ("
              + describe()
              + ") was closed; its parameters are freed and it cannot be used any more");
    }
  }

  /**
   * Throws if a close is waiting: training stops between batches, with the weights whole. {@code
   * epoch} and {@code batch} are 0-based.
   */
  final void stopIfClosing(String operation, int epoch, int batch) {
    if (usage.stopRequested()) {
      throw new IllegalStateException(
          operation
              + " stopped at epoch "
              + (epoch + 1)
              + ", batch "
              + (batch + 1)
              + ": another thread is closing this model"
              + " (its memory is freed as soon as this call returns); the weights are those of the last full step");
    }
  }

  /** Runs as close frees the model, before the memory goes (Sequential releases unbuilt layers). */
  void beforeFree() {}

  /**
   * Frees the parameters and optimizer state. Calls already running on other threads finish first:
   * predictions, evaluations, saves and open tapes complete normally, and a running fit stops at
   * its next batch with an {@link IllegalStateException}; calls made after close began are refused.
   * The model cannot be used afterwards; closing again does nothing.
   *
   * <p>A model that is never closed is freed once the garbage collector finds it unreachable, with
   * a one-time warning; that is a safety net, not a way to manage memory.
   *
   * @throws IllegalStateException when called inside a call on this same model on this thread (a
   *     callback, a layer, or with a tape still open after {@code forward}), which would wait for
   *     itself; or when interrupted while waiting (nothing is freed then)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    usage.closeWhenIdle(
        () -> {
          closed = true;
          beforeFree();
          memory.closedByOwner();
          reclaim.clean();
        });
  }

  /** The fit loop's view of the model, in the parts every model answers the same way. */
  abstract class TrainingView implements Trainable {
    @Override
    public ParameterStore parameters() {
      return store;
    }

    @Override
    public Backend backend() {
      return AbstractModel.this.backend();
    }

    @Override
    public Optimizer optimizer() {
      return optimizer;
    }

    @Override
    public boolean isCompiled() {
      return loss != null;
    }

    @Override
    public SyncWindow stepWindow() {
      return stepWindow;
    }

    @Override
    public long trainingMaskSeed() {
      return AbstractModel.this.trainingMaskSeed();
    }

    @Override
    public void stopIfClosing(String operation, int epoch, int batch) {
      AbstractModel.this.stopIfClosing(operation, epoch, batch);
    }

    @Override
    public TrainableModel publicModel() {
      return AbstractModel.this;
    }
  }
}
