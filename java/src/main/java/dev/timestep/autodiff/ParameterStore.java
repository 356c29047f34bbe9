package dev.timestep.autodiff;

import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All of a model's parameters in one arena: one buffer of values and one of gradients, each
 * parameter a view into them. So zeroing gradients is one fill and Adam is one fused call over
 * every parameter. Layers declare parameters while building; {@link #allocate} creates the arena
 * and initializes them in declaration order from one seed.
 */
public final class ParameterStore implements AutoCloseable {
  private record Declaration(String name, Shape shape, Initializer init) {}

  /** Parameters one arena can hold: initializers fill a Java array per parameter. */
  private static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

  private final List<Declaration> declared = new ArrayList<>();
  private final List<Declaration> declaredState = new ArrayList<>();
  private final List<Tensor> state = new ArrayList<>();
  private final List<Parameter> parameters = new ArrayList<>();
  private final Scope scope = new Scope();
  private Tensor values;
  private Tensor grads;
  private Backend backend;

  /** Declares a parameter; returns its index, for {@link #get(int)} after allocation. */
  public int declare(String name, Shape shape, Initializer init) {
    requireDeclaration("parameter", name, shape, init);
    if (values != null) {
      throw new IllegalStateException("parameters are already allocated; cannot declare " + name);
    }
    declared.add(new Declaration(name, shape, init));
    return declared.size() - 1;
  }

  /**
   * Declares non-trainable state (e.g. batch normalization's moving averages): allocated beside the
   * parameters, never touched by the optimizer. Returns its index for {@link #state(int)}.
   */
  public int declareState(String name, Shape shape, Initializer init) {
    requireDeclaration("state", name, shape, init);
    if (values != null) {
      throw new IllegalStateException(
          "parameters are already allocated; cannot declare state " + name);
    }
    declaredState.add(new Declaration(name, shape, init));
    return declaredState.size() - 1;
  }

  private static void requireDeclaration(String kind, String name, Shape shape, Initializer init) {
    if (name == null || shape == null || init == null) {
      throw new IllegalArgumentException(
          "declare "
              + kind
              + ": name, shape and initializer are required, got "
              + name
              + ", "
              + shape
              + ", "
              + init);
    }
  }

  /** A state tensor declared with {@link #declareState}. */
  public Tensor state(int index) {
    if (values == null) {
      throw new IllegalStateException("state is not allocated yet (build the model first)");
    }
    return state.get(index);
  }

  /** The number of parameters declared with {@link #declare} so far. */
  public int declaredCount() {
    return declared.size();
  }

  /** The number of state tensors declared with {@link #declareState}. */
  public int stateCount() {
    return declaredState.size();
  }

  /** The shape parameter {@code index} was declared with (known before allocation). */
  public Shape declaredShape(int index) {
    return declared.get(index).shape();
  }

  /** The shape state tensor {@code index} was declared with (known before allocation). */
  public Shape stateShape(int index) {
    return declaredState.get(index).shape();
  }

  /** The name a state tensor was declared with. */
  public String stateName(int index) {
    return declaredState.get(index).name();
  }

  /** Creates the arena on {@code backend} and fills every parameter with its initializer. */
  public void allocate(Backend backend, long seed) {
    if (values != null) {
      throw new IllegalStateException("parameters are already allocated");
    }
    if (backend == null) {
      throw new IllegalArgumentException("allocate: backend must not be null");
    }
    long total = 0;
    for (Declaration d : declared) {
      total += d.shape().size();
      if (total > MAX_PARAMETERS || d.shape().size() > MAX_PARAMETERS) {
        throw new IllegalArgumentException(
            "the model declares more than "
                + MAX_PARAMETERS
                + " parameters (at "
                + d.name()
                + " "
                + d.shape()
                + "); one parameter arena holds at most that many");
      }
    }
    for (Declaration d : declaredState) {
      if (d.shape().size() > MAX_PARAMETERS) {
        throw new IllegalArgumentException(
            "state "
                + d.name()
                + " "
                + d.shape()
                + " holds more than "
                + MAX_PARAMETERS
                + " values");
      }
    }
    this.backend = backend;
    values = backend.allocate(Shape.of(Math.toIntExact(Math.max(total, 1))), scope);
    grads = backend.allocate(values.shape(), scope);
    SplittableRandom root = new SplittableRandom(seed);
    long offset = 0;
    for (Declaration d : declared) {
      Tensor value = values.view(offset, d.shape());
      Tensor grad = grads.view(offset, d.shape());
      backend.upload(new NDArray(d.shape(), d.init().values(d.shape(), root.split())), value);
      parameters.add(new Parameter(d.name(), value, grad));
      offset += d.shape().size();
    }
    for (Declaration d : declaredState) {
      state.add(
          backend.upload(new NDArray(d.shape(), d.init().values(d.shape(), root.split())), scope));
    }
  }

  /** The backend the parameters live on (null before {@link #allocate}). */
  public Backend backend() {
    return backend;
  }

  public boolean isAllocated() {
    return values != null;
  }

  public Parameter get(int index) {
    if (values == null) {
      throw new IllegalStateException("parameters are not allocated yet (build the model first)");
    }
    return parameters.get(index);
  }

  public List<Parameter> parameters() {
    return Collections.unmodifiableList(parameters);
  }

  /** Every parameter value, flat, in declaration order. */
  public Tensor values() {
    return values;
  }

  /** Every gradient, flat, aligned with {@link #values()}. */
  public Tensor grads() {
    return grads;
  }

  public long count() {
    long n = 0;
    for (Declaration d : declared) {
      n += d.shape().size();
    }
    return n;
  }

  public void zeroGrads() {
    backend.fill(grads, 0f);
  }

  @Override
  public void close() {
    scope.close();
  }
}
