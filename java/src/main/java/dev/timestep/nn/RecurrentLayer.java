package dev.timestep.nn;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
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
 *
 * <p>States, as Keras: {@link #forwardWithStates} starts from given initial states (h, and c for
 * the LSTM) and returns the final ones with the output, gradients flowing both ways. With {@link
 * #stateful stateful(true)} the final states of each call are kept (detached: no gradient crosses
 * calls) and start the next call, row i from row i, in predict, evaluate and fit alike, until
 * {@link #resetStates}. The kept states fix the batch size: a call with another one is refused
 * until the states are reset. Concurrent calls on one stateful layer run one at a time.
 *
 * <p>In a functional {@link Model}, as Keras' RNN call: {@code layer.apply(x, h)} ({@code
 * layer.apply(x, h, c)} for the LSTM) starts from the symbolic states given after the sequence,
 * Keras' {@code layer(x, initial_state=[h, c])}; with {@code returnState(true)}, {@code
 * layer.applyAll(x)} gives {@code [output, h]} ({@code [output, h, c]}), each state of sample shape
 * [units].
 *
 * <pre>{@code
 * List<Symbolic> enc = new LSTM(32).returnState(true).applyAll(past);    // [output, h, c]
 * Symbolic dec = new LSTM(32).returnSequences(true).apply(decoderInput, enc.get(1), enc.get(2));
 * }</pre>
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
  private boolean returnState;
  private boolean stateful;

  /** Guards {@link #carried}; a stateful layer's calls hold it from reading to storing. */
  private final Object stateLock = new Object();

  /** A stateful layer's final states of its last call (h, then c), on the heap; null: zeros. */
  private NDArray[] carried;

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

  /**
   * Whether a model exposes the final states as outputs of this layer besides its output (Keras'
   * {@code return_state}); false by default: a functional model's call of the layer then gives
   * [output, h] ([output, h, c] for the LSTM; use {@code applyAll}). Set it before applying the
   * layer. {@link #forward} returns the output alone either way (so a Sequential passes the output
   * on), and {@link #forwardWithStates} always returns the states.
   */
  public RecurrentLayer returnState(boolean value) {
    requireNotBuilt("returnState");
    this.returnState = value;
    return this;
  }

  /** Whether a model exposes the final states as outputs (see {@link #returnState(boolean)}). */
  public boolean returnsState() {
    return returnState;
  }

  /**
   * Whether the final states of one call become the initial states of the next (Keras' {@code
   * stateful}); false by default. Sample i of a batch continues sample i of the batch before, so
   * every call needs the same batch size, and {@code fit} refuses to shuffle. The states are not
   * saved with a model, as in Keras (the flag is).
   */
  public RecurrentLayer stateful(boolean value) {
    requireNotBuilt("stateful");
    this.stateful = value;
    return this;
  }

  /** Whether this layer carries its states from call to call. */
  public boolean isStateful() {
    return stateful;
  }

  /**
   * Forgets the carried states (Keras' {@code reset_states}): the next call starts from zeros, with
   * any batch size, which then holds until the next reset. A no-op on a layer that is not stateful.
   */
  public void resetStates() {
    synchronized (stateLock) {
      carried = null;
    }
  }

  /**
   * Copies of the carried states ([h] or [h, c], each [batch, units]); empty when the layer is not
   * stateful or has no states yet (after construction or {@link #resetStates}).
   */
  public List<NDArray> states() {
    synchronized (stateLock) {
      List<NDArray> copies = new ArrayList<>();
      if (carried != null) {
        for (NDArray a : carried) {
          copies.add(new NDArray(a.shape(), a.data().clone()));
        }
      }
      return copies;
    }
  }

  /** The cell this layer runs (its gates and weight layout). */
  public RecurrentKind kind() {
    return kind;
  }

  /** The number of states: 2 (h and c) for the LSTM, 1 (h) for the other kinds. */
  public int stateCount() {
    return Ops.stateCount(kind);
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
        + (returnState ? ", return_state" : "")
        + (stateful ? ", stateful" : "")
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
    return run(tape, input, null, pass, false).get(0);
  }

  /**
   * Runs the layer from {@code initialStates} (null or empty: zeros, or for a stateful layer the
   * carried states; else [h], or [h, c] for the LSTM, each [batch, units]) and returns [output, h]
   * ([output, h, c] for the LSTM): the output as {@link #forward} gives it (every step or the last,
   * as {@link #returnsSequences} says) and the final states [batch, units]. Gradients flow into the
   * initial states and from the final ones. A stateful layer keeps the final states for its next
   * call, also when initial states were given.
   *
   * @throws IllegalArgumentException for a wrong number of states, a state of the wrong shape, or
   *     (stateful) a batch size other than the carried states'
   */
  public List<Variable> forwardWithStates(
      Tape tape, Variable input, List<Variable> initialStates, ForwardPass pass) {
    return run(tape, input, initialStates, pass, true);
  }

  /** The output, and when {@code withStates} the final states after it. */
  private List<Variable> run(
      Tape tape,
      Variable input,
      List<Variable> initialStates,
      ForwardPass pass,
      boolean withStates) {
    if (store == null) {
      throw new IllegalStateException(name() + " is not built");
    }
    if (tape == null || input == null || pass == null) {
      throw new IllegalArgumentException(
          name()
              + ": forward needs a tape, an input and a pass, got "
              + tape
              + ", "
              + input
              + " and "
              + pass);
    }
    if (input.shape().rank() != 3) {
      throw new IllegalArgumentException(
          name() + " takes a 3-D input [batch, time, features] but got " + input.shape());
    }
    outputShape(input.shape().dropFirst());
    Ops.requireStates(name(), kind, initialStates, input.shape().dim(0), units);
    if (!stateful) {
      return runFrom(tape, input, initialStates, pass, withStates);
    }
    synchronized (stateLock) {
      List<Variable> from = initialStates;
      if ((from == null || from.isEmpty()) && carried != null) {
        from = carriedStates(tape, input.shape().dim(0));
      }
      List<Variable> result = runFrom(tape, input, from, pass, true);
      Backend b = tape.backend();
      NDArray[] last = new NDArray[result.size() - 1];
      for (int i = 0; i < last.length; i++) {
        last[i] = b.download(result.get(1 + i).value());
      }
      carried = last;
      return withStates ? result : List.of(result.get(0));
    }
  }

  /** The carried states as constants of this tape (detached), after checking the batch size. */
  private List<Variable> carriedStates(Tape tape, int batch) {
    int carriedBatch = carried[0].dim(0);
    if (batch != carriedBatch) {
      throw new IllegalArgumentException(
          name()
              + " is stateful and carries states for a batch of "
              + carriedBatch
              + " but got a batch of "
              + batch
              + "; feed every call the same batch size (Keras' fixed batch size), or call"
              + " resetStates() first");
    }
    List<Variable> states = new ArrayList<>(carried.length);
    for (NDArray a : carried) {
      states.add(tape.constant(tape.backend().upload(a, tape.scope())));
    }
    return states;
  }

  private List<Variable> runFrom(
      Tape tape,
      Variable input,
      List<Variable> initialStates,
      ForwardPass pass,
      boolean withStates) {
    int batch = input.shape().dim(0);
    int steps = input.shape().dim(1);
    boolean given = initialStates != null && !initialStates.isEmpty();
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
      RecurrentSteps.Result r =
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
              stateMask,
              given ? initialStates.get(0) : null,
              given && kind == RecurrentKind.LSTM ? initialStates.get(1) : null);
      List<Variable> states = r.states();
      Variable h = states.get(states.size() - 1);
      List<Variable> result = new ArrayList<>(3);
      result.add(returnSequences ? Ops.stackSteps(tape, states) : h);
      if (withStates) {
        result.add(h);
        if (kind == RecurrentKind.LSTM) {
          result.add(r.cell());
        }
      }
      return result;
    }
    if (!withStates) {
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
      return List.of(returnSequences ? out : Ops.lastStep(tape, out));
    }
    List<Variable> outs =
        Ops.recurrentWithStates(
            tape,
            kind,
            activation,
            x,
            units,
            store.get(kernel),
            store.get(recurrent),
            store.get(bias),
            cellArray,
            initialStates);
    List<Variable> result = new ArrayList<>(outs);
    if (!returnSequences) {
      result.set(0, outs.get(1)); // the last step is the final h
    }
    return result;
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
