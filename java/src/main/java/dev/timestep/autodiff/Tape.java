package dev.timestep.autodiff;

import dev.timestep.backend.Backend;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Records operations as they run forward, then replays their backward steps in reverse. Every
 * intermediate tensor (values and gradients) belongs to the tape's scope and is freed when the tape
 * is closed, so one training step = one tape in a try-with-resources block. Ops live in {@link
 * Ops}; a tape is used by one thread at a time.
 */
public final class Tape implements AutoCloseable {
  private final Backend backend;
  private final Scope scope = new Scope();
  private final List<Runnable> backwardSteps = new ArrayList<>();
  private final boolean recording;

  /** A tape that records for backward. */
  public Tape(Backend backend) {
    this(backend, true);
  }

  /** {@code recording=false}: forward only (prediction), no backward steps are kept. */
  public Tape(Backend backend, boolean recording) {
    if (backend == null) {
      throw new IllegalArgumentException("tape: backend must not be null");
    }
    this.backend = backend;
    this.recording = recording;
  }

  public Backend backend() {
    return backend;
  }

  public boolean isRecording() {
    return recording;
  }

  /** A variable around an existing tensor (data, targets) that needs no gradient. */
  public Variable constant(Tensor value) {
    return new Variable(value, false, null);
  }

  /** The scope that owns this tape's tensors (to upload data for one step into it). */
  public Scope scope() {
    return scope;
  }

  /** A fresh zero-filled tensor owned by this tape. */
  public Tensor allocate(Shape shape) {
    return backend.allocate(shape, scope);
  }

  /**
   * A fresh tensor owned by this tape whose every element the caller's kernel writes before
   * anything reads it, so it is not zeroed first (on a GPU, one fill launch fewer).
   */
  public Tensor allocateForOverwrite(Shape shape) {
    return backend.allocateForOverwrite(shape, scope);
  }

  /** A new result variable of the given shape; it needs a gradient if any input does. */
  public Variable result(Shape shape, Variable... inputs) {
    return new Variable(allocate(shape), recording && anyRequiresGrad(inputs), null);
  }

  /**
   * A new result variable whose value the op's kernel writes in full (so it is not zeroed first);
   * it needs a gradient if any input does.
   */
  public Variable resultForOverwrite(Shape shape, Variable... inputs) {
    return new Variable(
        backend.allocateForOverwrite(shape, scope), recording && anyRequiresGrad(inputs), null);
  }

  /** A result that shares the value of another tensor (a view), with the given grad view. */
  Variable view(Tensor value, Tensor gradView, boolean requiresGrad) {
    return new Variable(value, requiresGrad, gradView);
  }

  static boolean anyRequiresGrad(Variable... inputs) {
    for (Variable v : inputs) {
      if (v.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /** Registers the backward step of an op whose output is {@code out}. */
  public void onBackward(Variable out, Runnable step) {
    if (recording && out.requiresGrad()) {
      // An output nobody used on the way to the loss has no gradient: skip its step.
      backwardSteps.add(
          () -> {
            if (out.grad != null) {
              step.run();
            }
          });
    }
  }

  /**
   * Registers the backward step of an op with several outputs (null entries are skipped): it runs
   * once, after the steps of everything that used any of them, when at least one has a gradient.
   */
  public void onBackward(List<Variable> outputs, Runnable step) {
    if (!recording) {
      return;
    }
    List<Variable> outs = new ArrayList<>();
    for (Variable v : outputs) {
      if (v != null && v.requiresGrad()) {
        outs.add(v);
      }
    }
    if (!outs.isEmpty()) {
      backwardSteps.add(
          () -> {
            for (Variable v : outs) {
              if (v.grad != null) {
                step.run();
                return;
              }
            }
          });
    }
  }

  /**
   * The gradient tensor of {@code v}, created zero-filled on first use. Ops' backward steps
   * accumulate into it.
   */
  public Tensor gradOf(Variable v) {
    if (v.grad == null) {
      v.grad = allocate(v.shape());
    }
    return v.grad;
  }

  /**
   * Backpropagates from a scalar {@code loss}: seeds d(loss)/d(loss) = 1 and runs every recorded
   * backward step in reverse. Parameter gradients are ACCUMULATED (zero them between steps).
   */
  public void backward(Variable loss) {
    if (!recording) {
      throw new IllegalStateException("backward on a tape created with recording=false");
    }
    if (loss.value().size() != 1) {
      throw new IllegalArgumentException("backward needs a scalar loss, got shape " + loss.shape());
    }
    if (!loss.requiresGrad()) {
      throw new IllegalStateException(
          "the loss does not depend on any parameter; nothing to train");
    }
    backend.fill(gradOf(loss), 1f);
    for (int i = backwardSteps.size() - 1; i >= 0; i--) {
      backwardSteps.get(i).run();
    }
  }

  /** Number of recorded backward steps (for tests). */
  public int recordedSteps() {
    return backwardSteps.size();
  }

  @Override
  public void close() {
    backwardSteps.clear();
    scope.close();
  }
}
