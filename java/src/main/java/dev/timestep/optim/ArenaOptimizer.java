package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the built-in optimizers ({@link SGD}, {@link RMSprop}, {@link Adam}, {@link AdamW}) share:
 * the learning rate, gradient clipping, the step count, and their state ("slots": each a tensor
 * aligned with the model's parameter arena, such as Adam's moments), which one fused backend call
 * per step updates together with every parameter.
 *
 * <p>Gradient clipping, as Keras' {@code clipnorm} / {@code clipvalue} (one of them), applied to
 * the gradients before the update (and before AdamW's weight decay): {@code new
 * SGD(0.01).clipNorm(1.0)} rescales each parameter tensor's gradient (each kernel and bias on its
 * own, not the global norm) to an L2 norm of at most 1.0; {@code new Adam().clipValue(0.5)} clamps
 * every gradient element to [-0.5, 0.5]. Clipping costs one host round trip of the gradients per
 * step, and is not stored in model files: set it again on a loaded model's optimizer.
 *
 * <p>An optimizer serves one model: its first step binds it to that model's parameters. Only this
 * package's optimizers extend this class, so a model file knows every one it may meet.
 *
 * @param <T> the optimizer's own class, which the clipping setters return
 */
public abstract class ArenaOptimizer<T extends ArenaOptimizer<T>> implements Optimizer {
  private final String name;
  private double learningRate;
  private GradientClipping.Mode clipMode = GradientClipping.Mode.NONE;
  private double clipLimit = Double.NaN;
  private final Scope scope = new Scope();
  private List<Tensor> slots; // in slotNames() order; null until bound to a parameter store
  private ParameterStore boundTo;
  private long t;
  private boolean closed;

  ArenaOptimizer(String name, double learningRate) {
    this.name = name;
    requireLearningRate(learningRate);
    this.learningRate = learningRate;
  }

  /**
   * The names of this optimizer's state tensors, in the order of {@link #state()} (e.g. Adam's "m"
   * and "v", and "vhat" with AMSGrad); empty when it keeps none (SGD without momentum).
   */
  public abstract List<String> slotNames();

  /**
   * Applies step number {@code iteration} (1 for the first) to {@code store}: one fused backend
   * call over the whole arena, the gradients already clipped, {@code slots} in {@link #slotNames()}
   * order. Throws before changing anything when the settings cannot make this step.
   */
  abstract void update(Backend backend, ParameterStore store, List<Tensor> slots, long iteration);

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /**
   * Keras' {@code clipnorm}: before each update, every parameter tensor's gradient whose L2 norm
   * exceeds {@code maxNorm} is scaled down to that norm (per tensor, as Keras does).
   *
   * @throws IllegalArgumentException when maxNorm is not finite and > 0
   * @throws IllegalStateException when clipValue was already set (Keras allows only one)
   */
  public T clipNorm(double maxNorm) {
    setClipping(GradientClipping.Mode.NORM, "clipNorm", maxNorm);
    return self();
  }

  /**
   * Keras' {@code clipvalue}: before each update, every gradient element is clamped to {@code
   * [-maxValue, maxValue]}.
   *
   * @throws IllegalArgumentException when maxValue is not finite and > 0
   * @throws IllegalStateException when clipNorm was already set (Keras allows only one)
   */
  public T clipValue(double maxValue) {
    setClipping(GradientClipping.Mode.VALUE, "clipValue", maxValue);
    return self();
  }

  private void setClipping(GradientClipping.Mode mode, String setter, double limit) {
    if (!(limit > 0) || !Double.isFinite(limit)) {
      throw new IllegalArgumentException(
          name + "." + setter + " must be finite and > 0, got " + limit);
    }
    if (clipMode != GradientClipping.Mode.NONE && clipMode != mode) {
      throw new IllegalStateException(
          name
              + "."
              + setter
              + ": this optimizer already clips by "
              + (clipMode == GradientClipping.Mode.NORM ? "norm (clipNorm " : "value (clipValue ")
              + clipLimit
              + "); use only one of clipNorm and clipValue, as Keras");
    }
    clipMode = mode;
    clipLimit = limit;
  }

  /** The clipNorm limit, or NaN when gradients are not clipped by norm. */
  public double clipNorm() {
    return clipMode == GradientClipping.Mode.NORM ? clipLimit : Double.NaN;
  }

  /** The clipValue limit, or NaN when gradients are not clipped by value. */
  public double clipValue() {
    return clipMode == GradientClipping.Mode.VALUE ? clipLimit : Double.NaN;
  }

  @Override
  public double learningRate() {
    return learningRate;
  }

  @Override
  public void setLearningRate(double learningRate) {
    requireLearningRate(learningRate);
    this.learningRate = learningRate;
  }

  private void requireLearningRate(double learningRate) {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          name + ": learning rate must be finite and > 0, got " + learningRate);
    }
  }

  @Override
  public final void step(ParameterStore store) {
    requireOpen();
    requireAllocated(store, "step");
    bind(store);
    GradientClipping.apply(store, clipMode, clipLimit);
    update(store.backend(), store, slots, t + 1);
    t++;
  }

  @Override
  public long iterations() {
    return t;
  }

  /** The slots (see {@link #slotNames()}), or none before the first step. */
  @Override
  public List<Tensor> state() {
    return slots == null ? List.of() : Collections.unmodifiableList(slots);
  }

  /**
   * A heap copy of the slot {@code slotName} (aligned with the parameter arena), or null before the
   * first step.
   *
   * @throws IllegalArgumentException when this optimizer has no slot of that name
   */
  public NDArray slot(String slotName) {
    int i = slotNames().indexOf(slotName);
    if (i < 0) {
      throw new IllegalArgumentException(
          name + " has no slot '" + slotName + "'; its slots are " + slotNames());
    }
    return slots == null ? null : boundTo.backend().download(slots.get(i));
  }

  /**
   * Puts this optimizer in the state another one with the same settings had after {@code
   * iterations} steps on a model with the same parameters (a loaded model file): binds it to {@code
   * store} and uploads {@code values}, one array per slot name, so the next {@link #step} makes
   * exactly the update the other would have made. With {@code iterations} 0, {@code values} must be
   * empty (no step was taken).
   *
   * @throws IllegalArgumentException for a store that is not allocated, negative iterations, or
   *     values whose names or shapes do not match this optimizer's slots
   * @throws IllegalStateException when this optimizer is closed or bound to another store
   */
  public void restore(ParameterStore store, long iterations, Map<String, NDArray> values) {
    requireOpen();
    requireAllocated(store, "restore");
    if (boundTo != null && boundTo != store) {
      throw new IllegalStateException(shared());
    }
    if (iterations < 0) {
      throw new IllegalArgumentException(
          name + ".restore: iterations must be >= 0, got " + iterations);
    }
    if (values == null) {
      throw new IllegalArgumentException(name + ".restore: values must not be null (Map.of())");
    }
    if (iterations == 0) {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException(
            name + ".restore: slot values were given for 0 iterations; pass none");
      }
      if (slots != null) {
        for (Tensor s : slots) {
          store.backend().fill(s, 0f);
        }
      }
      t = 0;
      return;
    }
    if (!values.keySet().equals(new TreeSet<>(slotNames()))) {
      throw new IllegalArgumentException(
          name
              + ".restore: expected the slots "
              + slotNames()
              + ", got "
              + new TreeSet<>(values.keySet()));
    }
    Shape arena = store.values().shape();
    for (String slotName : slotNames()) {
      NDArray a = values.get(slotName);
      if (a == null || !a.shape().equals(arena)) {
        throw new IllegalArgumentException(
            name
                + ".restore: each slot must have the parameter arena's shape "
                + arena
                + ", got "
                + (a == null ? "null" : a.shape())
                + " for "
                + slotName);
      }
    }
    bind(store);
    for (int i = 0; i < slots.size(); i++) {
      store.backend().upload(values.get(slotNames().get(i)), slots.get(i));
    }
    t = iterations;
  }

  private void requireAllocated(ParameterStore store, String method) {
    if (store == null || !store.isAllocated()) {
      throw new IllegalArgumentException(
          name + "." + method + ": the parameter store must be allocated (build the model first)");
    }
  }

  /** Binds to {@code store} on first use, allocating the slots (zeros). */
  private void bind(ParameterStore store) {
    if (boundTo == null) {
      Backend backend = store.backend();
      List<Tensor> allocated = new ArrayList<>();
      for (int i = 0; i < slotNames().size(); i++) {
        allocated.add(backend.allocate(store.values().shape(), scope));
      }
      slots = allocated;
      boundTo = store;
    } else if (boundTo != store) {
      throw new IllegalStateException(shared());
    }
  }

  private String shared() {
    return "this "
        + name
        + " optimizer already optimizes another model; each model needs its own optimizer";
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "this "
              + name
              + " optimizer was closed (the model it was compiled into was closed, or compiled"
              + " with another optimizer), so its state is freed; create a new "
              + name
              + " for each model");
    }
  }

  /** Frees the slots; the optimizer cannot be used afterwards. Closing again does nothing. */
  @Override
  public void close() {
    closed = true;
    scope.close();
    slots = null;
    boundTo = null;
  }

  /** This optimizer's settings besides the learning rate and clipping, for {@link #toString}. */
  abstract String settings();

  @Override
  public String toString() {
    String s = settings();
    return name
        + "(lr="
        + learningRate
        + (s.isEmpty() ? "" : ", " + s)
        + switch (clipMode) {
          case NONE -> "";
          case NORM -> ", clipnorm=" + clipLimit;
          case VALUE -> ", clipvalue=" + clipLimit;
        }
        + ")";
  }
}
