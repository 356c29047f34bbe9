package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.optim.Optimizer;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The native memory one model owns (parameters, its one-batch training window's copy of them,
 * optimizer state), released either by {@link Sequential#close} or, as a safety net, by a {@link
 * Cleaner} once the model is unreachable. It must not refer to its model, or the model would never
 * become unreachable. The first model reclaimed this way logs one warning naming where it was
 * created when {@value #TRACE_PROPERTY} is true (capturing a stack per model costs time, so only on
 * request).
 */
final class ModelMemory implements Runnable {
  /** System property: capture each model's creation stack for the leak warning. */
  static final String TRACE_PROPERTY = "timestep.leakTrace";

  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final System.Logger LOG = System.getLogger("dev.timestep");

  private final ParameterStore store;
  private final SyncWindow stepWindow;
  private final List<Layer> layers;
  private final String kind;
  private final Throwable createdAt;
  private volatile Optimizer optimizer;
  private volatile boolean closedByOwner;

  private ModelMemory(
      String kind, ParameterStore store, SyncWindow stepWindow, List<Layer> layers) {
    this.kind = kind;
    this.store = store;
    this.stepWindow = stepWindow;
    this.layers = layers;
    this.createdAt =
        Boolean.getBoolean(TRACE_PROPERTY)
            ? new Throwable("the leaked model was created here")
            : null;
  }

  /**
   * Watches {@code owner}: when it becomes unreachable without {@link #release}, the memory is
   * freed.
   */
  static Cleaner.Cleanable register(Object owner, ModelMemory memory) {
    return CLEANER.register(owner, memory);
  }

  static ModelMemory of(ParameterStore store, SyncWindow stepWindow, List<Layer> layers) {
    return new ModelMemory("Sequential", store, stepWindow, layers);
  }

  /** As {@link #of}, for a model that names itself {@code kind} in the warning ("Model"). */
  static ModelMemory of(
      String kind, ParameterStore store, SyncWindow stepWindow, List<Layer> layers) {
    return new ModelMemory(kind, store, stepWindow, layers);
  }

  /** The optimizer whose state this memory frees (the last one compiled). */
  void optimizer(Optimizer optimizer) {
    this.optimizer = optimizer;
  }

  /** Marks the coming release as the owner's explicit close (no warning). */
  void closedByOwner() {
    closedByOwner = true;
  }

  /** Frees everything; run once, by the owner's close or by the cleaner. */
  @Override
  public void run() {
    if (!closedByOwner && store.isAllocated()) {
      warnOnce();
    }
    stepWindow.close();
    store.close();
    Optimizer o = optimizer;
    if (o != null) {
      o.close();
    }
  }

  private void warnOnce() {
    if (!WARNED.compareAndSet(false, true)) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (Layer l : List.copyOf(layers)) {
      names.add(l.name());
    }
    String message =
        "Timestep: a model ("
            + kind
            + " of "
            + String.join(" -> ", names)
            + ", "
            + store.count()
            + " parameters) was never closed; its native memory was freed only when the garbage collector found it "
            + "unreachable. Close models (try-with-resources) to free memory when you choose. "
            + (createdAt == null
                ? "Run with -D"
                    + TRACE_PROPERTY
                    + "=true to see where it was created. This warning "
                    + "is shown once."
                : "This warning is shown once.");
    if (createdAt == null) {
      LOG.log(System.Logger.Level.WARNING, message);
    } else {
      LOG.log(System.Logger.Level.WARNING, message, createdAt);
    }
  }

  /** For tests: lets the next reclaimed model warn again. */
  static void resetWarning() {
    WARNED.set(false);
  }
}
