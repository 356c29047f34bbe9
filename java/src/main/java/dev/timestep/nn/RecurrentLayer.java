package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.tensor.Shape;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recurrent layer run as one fused op over the whole sequence (Keras semantics): input [batch,
 * time, features] with any number of steps, initial state zeros, output the last state [batch,
 * units] or, with {@link #returnSequences}, every state [batch, time, units]. Weights: kernel
 * glorot uniform, recurrent kernel orthogonal, bias zeros (all seeded).
 *
 * <p>Dropout, as Keras: {@link #dropout} drops input features and {@link #recurrentDropout} units
 * of the previous state, each with ONE mask per sequence ([batch, features] and [batch, units])
 * reused at every step, and only while dropout is active (training or MC dropout). Input dropout
 * multiplies x before the fused op. The fused op has no state mask, so with recurrent dropout
 * active the layer runs step by step through the autodiff ops instead (slower, exact; see {@code
 * RecurrentSteps} for where the mask applies); otherwise, and always at inference, it stays one
 * fused op.
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
  private int cellWeights = -1; // the GRU's recurrent bias or the LN cell's γβ
  private double dropout;
  private double recurrentDropout;

  /** Counts direct calls with {@code training=true} (outside a model), which carry no seed. */
  private final AtomicLong directCalls = new AtomicLong();

  protected RecurrentLayer(RecurrentKind kind, int units) {
    if (units < 1) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": units must be at least 1, got " + units);
    }
    if ((long) kind.gates() * units > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + ": units must be at most "
              + Integer.MAX_VALUE / kind.gates()
              + " (its "
              + kind.gates()
              + " gates side by side must fit an int), got "
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

  /**
   * The fraction of input features dropped (Keras' {@code dropout}), in [0, 1); 0 by default.
   *
   * @throws IllegalArgumentException for a rate outside [0, 1)
   */
  public RecurrentLayer dropout(double rate) {
    requireNotBuilt("dropout");
    this.dropout = DropoutMasks.checkRate(getClass().getSimpleName(), "dropout", rate);
    return this;
  }

  /**
   * The fraction of state units dropped before the recurrent product (Keras' {@code
   * recurrent_dropout}), in [0, 1); 0 by default. While active, the layer runs step by step instead
   * of as one fused op.
   *
   * @throws IllegalArgumentException for a rate outside [0, 1)
   */
  public RecurrentLayer recurrentDropout(double rate) {
    requireNotBuilt("recurrentDropout");
    this.recurrentDropout =
        DropoutMasks.checkRate(getClass().getSimpleName(), "recurrentDropout", rate);
    return this;
  }

  /** The input dropout rate. */
  public double dropoutRate() {
    return dropout;
  }

  /** The recurrent (state) dropout rate. */
  public double recurrentDropoutRate() {
    return recurrentDropout;
  }

  @Override
  public boolean hasDropout() {
    return dropout > 0 || recurrentDropout > 0;
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

  /** The initializer of the kind's own array (GRU recurrent bias, LN γ and β), when it has one. */
  protected Initializer cellWeightsInitializer() {
    return Initializer.zeros();
  }

  @Override
  public String name() {
    return getClass().getSimpleName()
        + "("
        + units
        + (returnSequences ? ", return_sequences" : "")
        + (activation == Activation.TANH ? "" : ", " + activation.name().toLowerCase())
        + (dropout > 0 ? ", dropout " + dropout : "")
        + (recurrentDropout > 0 ? ", recurrent_dropout " + recurrentDropout : "")
        + ")";
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    requireSequence(inputShape);
    this.store = store;
    this.features = inputShape.dim(1);
    int g = kind.gates() * units;
    String prefix = getClass().getSimpleName().toLowerCase();
    kernel = store.declare(prefix + "/kernel", Shape.of(features, g), Initializer.glorotUniform());
    recurrent =
        store.declare(prefix + "/recurrent_kernel", Shape.of(units, g), Initializer.orthogonal());
    bias = store.declare(prefix + "/bias", Shape.of(g), biasInitializer());
    if (kind.cellWeightsSize(units) > 0) {
      cellWeights =
          store.declare(
              prefix + "/" + kind.cellWeightsName(),
              Shape.of(kind.cellWeightsSize(units)),
              cellWeightsInitializer());
    }
    return outputShape(inputShape);
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    requireSequence(inputShape);
    if (features >= 0 && inputShape.dim(1) != features) {
      throw new IllegalArgumentException(
          name()
              + " was built for "
              + features
              + " features per step but got "
              + inputShape.dim(1)
              + " (samples of shape "
              + inputShape
              + ")");
    }
    return returnSequences ? Shape.of(inputShape.dim(0), units) : Shape.of(units);
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    return forward(
        tape,
        input,
        training
            ? ForwardPass.training(ForwardPass.mix(0x5EC_0D80L, directCalls.getAndIncrement()))
            : ForwardPass.inference());
  }

  @Override
  public Variable forward(Tape tape, Variable input, ForwardPass pass) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    if (input.shape().rank() != 3) {
      throw new IllegalArgumentException(
          name() + " takes a 3-D input [batch, time, features] but got " + input.shape());
    }
    outputShape(input.shape().dropFirst());
    int batch = input.shape().dim(0);
    int steps = input.shape().dim(1);
    Variable x = input;
    if (pass.dropout() && dropout > 0) {
      x =
          Ops.mul(
              tape,
              x,
              DropoutMasks.constant(
                  tape, DropoutMasks.overTime(pass.masks(0), dropout, batch, steps, features)));
    }
    Variable cellArray = cellWeights < 0 ? null : store.get(cellWeights);
    if (pass.dropout() && recurrentDropout > 0) {
      Variable stateMask =
          DropoutMasks.elementwise(tape, pass.masks(1), recurrentDropout, Shape.of(batch, units));
      List<Variable> states =
          RecurrentSteps.run(
              tape,
              kind,
              activation,
              x,
              units,
              new RecurrentSteps.Weights(
                  store.get(kernel),
                  store.get(recurrent),
                  store.get(bias),
                  kind == RecurrentKind.GRU ? cellArray : null,
                  kind == RecurrentKind.LAYER_NORM_SIMPLE ? cellArray : null),
              stateMask);
      return returnSequences ? Ops.stackSteps(tape, states) : states.get(states.size() - 1);
    }
    Variable out =
        Ops.recurrent(
            tape,
            kind,
            activation,
            x,
            units,
            store.get(kernel),
            store.get(recurrent),
            store.get(bias),
            cellArray);
    return returnSequences ? out : Ops.lastStep(tape, out);
  }

  private void requireSequence(Shape sample) {
    if (sample.rank() != 2) {
      throw new IllegalArgumentException(
          name()
              + " takes samples of shape [time, features] (a 3-D batch), got "
              + sample
              + "; reshape a univariate series to [time, 1]");
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
