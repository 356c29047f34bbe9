package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.tensor.Shape;

/**
 * A recurrent layer run as one fused op over the whole sequence (Keras semantics): input
 * [batch, time, features] with any number of steps, initial state zeros, output the last
 * state [batch, units] or, with {@link #returnSequences}, every state [batch, time, units].
 * Weights: kernel glorot uniform, recurrent kernel orthogonal, bias zeros (all seeded).
 */
public abstract class RecurrentLayer implements Layer {
  private final RecurrentKind kind;
  private final int units;
  private Activation activation = Activation.TANH;
  private boolean returnSequences;
  private ParameterStore store;
  private int features = -1;
  private int kernel;
  private int recurrent;
  private int bias;
  private int extra = -1;

  protected RecurrentLayer(RecurrentKind kind, int units) {
    if (units < 1) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": units must be at least 1, got " + units);
    }
    if ((long) kind.gates() * units > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": units must be at most "
          + Integer.MAX_VALUE / kind.gates() + " (its " + kind.gates() + " gates side by side must fit an int), got "
          + units);
    }
    this.kind = kind;
    this.units = units;
  }

  /** Output every step's state (needed by every recurrent layer but the last of a stack). */
  public RecurrentLayer returnSequences(boolean value) {
    requireNotBuilt("returnSequences");
    this.returnSequences = value;
    return this;
  }

  /** The output activation (tanh by default); LSTM and GRU keep their gate activations. */
  protected RecurrentLayer activation(Activation value) {
    requireNotBuilt("activation");
    if (value == null) {
      throw new IllegalArgumentException(name() + ": activation must not be null");
    }
    this.activation = value;
    return this;
  }

  public int units() {
    return units;
  }

  public boolean returnsSequences() {
    return returnSequences;
  }

  /** The output activation (always tanh for LSTM and GRU). */
  public Activation activation() {
    return activation;
  }

  /** The bias initializer; LSTM overrides it (forget-gate bias 1). */
  protected Initializer biasInitializer() {
    return Initializer.zeros();
  }

  /** The extra weights' initializer (GRU recurrent bias, LN γ and β), when the kind has them. */
  protected Initializer extraInitializer() {
    return Initializer.zeros();
  }

  @Override
  public String name() {
    return getClass().getSimpleName() + "(" + units + (returnSequences ? ", return_sequences" : "")
        + (activation == Activation.TANH ? "" : ", " + activation.name().toLowerCase()) + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    requireSequence(inputShape);
    this.store = store;
    this.features = inputShape.dim(1);
    int g = kind.gates() * units;
    String prefix = getClass().getSimpleName().toLowerCase();
    kernel = store.declare(prefix + "/kernel", Shape.of(features, g), Initializer.glorotUniform());
    recurrent = store.declare(prefix + "/recurrent_kernel", Shape.of(units, g), Initializer.orthogonal());
    bias = store.declare(prefix + "/bias", Shape.of(g), biasInitializer());
    if (kind.extraSize(units) > 0) {
      extra = store.declare(prefix + "/extra", Shape.of(kind.extraSize(units)), extraInitializer());
    }
    return outputShape(inputShape);
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    requireSequence(inputShape);
    if (features >= 0 && inputShape.dim(1) != features) {
      throw new IllegalArgumentException(name() + " was built for " + features + " features per step but got "
          + inputShape.dim(1) + " (samples of shape " + inputShape + ")");
    }
    return returnSequences ? Shape.of(inputShape.dim(0), units) : Shape.of(units);
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    if (input.shape().rank() != 3) {
      throw new IllegalArgumentException(name() + " takes a 3-D input [batch, time, features] but got "
          + input.shape());
    }
    outputShape(input.shape().dropFirst());
    Variable out = Ops.recurrent(tape, kind, activation, input, units, store.get(kernel), store.get(recurrent),
        store.get(bias), extra < 0 ? null : store.get(extra));
    return returnSequences ? out : Ops.lastStep(tape, out);
  }

  private void requireSequence(Shape sample) {
    if (sample.rank() != 2) {
      throw new IllegalArgumentException(name() + " takes samples of shape [time, features] (a 3-D batch), got "
          + sample + "; reshape a univariate series to [time, 1]");
    }
    if (sample.dim(0) == 0) {
      throw new IllegalArgumentException(name() + ": the input has zero time steps");
    }
    if (sample.dim(1) == 0) {
      throw new IllegalArgumentException(name() + ": the input has zero features per step");
    }
  }

  private void requireNotBuilt(String what) {
    if (store != null) {
      throw new IllegalStateException(name() + ": set " + what + " before the model is built");
    }
  }
}
