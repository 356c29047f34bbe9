package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keras' {@code Bidirectional(layer)}: the recurrent layer runs over the sequence as given, and a
 * second layer of the same configuration, with weights of its own, runs over the sequence reversed
 * in time; their outputs are merged. With {@code returnSequences} the backward layer's outputs are
 * reversed back, so step t of the result sees the whole sequence: the forward layer's state after
 * steps 0..t and the backward layer's after steps T-1..t. Without, the result merges the forward
 * layer's last state (after step T-1) with the backward layer's (after step 0).
 *
 * <p>Weights: the forward layer's, then the backward layer's, each in its own layout. Dropout masks
 * of the two directions are drawn independently. In a functional {@link Model}, a wrapped layer
 * with {@code returnState(true)} makes the call give the output and both directions' final states,
 * and {@code bi.apply(x, states...)} starts both directions from given states (see {@link
 * #forwardWithStates}).
 *
 * <pre>{@code
 * new Sequential(new Bidirectional(new LSTM(16).returnSequences(true)), new Dense(1));
 * }</pre>
 */
public final class Bidirectional implements Layer {
  /** How the two directions' outputs combine, Keras' {@code merge_mode}. */
  public enum MergeMode {
    /** Forward then backward along the last axis: twice the units (the default). */
    CONCAT,
    /** forward + backward. */
    SUM,
    /** forward * backward, elementwise. */
    MUL,
    /** (forward + backward) / 2. */
    AVE;

    /** Keras' name: "concat", "sum", "mul" or "ave". */
    public String kerasName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode of a Keras name.
     *
     * @throws IllegalArgumentException for another name
     */
    public static MergeMode parse(String name) {
      for (MergeMode m : values()) {
        if (m.kerasName().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "Bidirectional: unknown merge mode '" + name + "'; expected concat, sum, mul or ave");
    }
  }

  private final RecurrentLayer forward;
  private final RecurrentLayer backward;
  private final MergeMode mode;

  /** Both directions of {@code layer}, concatenated. */
  public Bidirectional(RecurrentLayer layer) {
    this(layer, MergeMode.CONCAT);
  }

  /**
   * Both directions of {@code layer}, merged as {@code mode}.
   *
   * @throws IllegalArgumentException for a null layer or mode, or a layer class this wrapper cannot
   *     copy (a user's subclass of RecurrentLayer)
   */
  public Bidirectional(RecurrentLayer layer, MergeMode mode) {
    if (layer == null || mode == null) {
      throw new IllegalArgumentException(
          "Bidirectional needs a recurrent layer and a merge mode, got "
              + (layer == null ? "no layer" : "no merge mode"));
    }
    this.forward = layer;
    this.backward = copyOf(layer);
    this.mode = mode;
  }

  /** A new, unbuilt layer with {@code r}'s configuration (Keras makes it from the config). */
  private static RecurrentLayer copyOf(RecurrentLayer r) {
    RecurrentLayer copy;
    if (r.getClass() == SimpleRNN.class) {
      copy = new SimpleRNN(r.units()).activation(r.activation());
    } else if (r.getClass() == LayerNormSimpleRNN.class) {
      copy = new LayerNormSimpleRNN(r.units()).activation(r.activation());
    } else if (r.getClass() == LSTM.class) {
      copy = new LSTM(r.units());
    } else if (r.getClass() == GRU.class) {
      copy = new GRU(r.units());
    } else {
      throw new IllegalArgumentException(
          "Bidirectional copies SimpleRNN, LSTM, GRU and LayerNormSimpleRNN layers, not "
              + r.getClass().getName());
    }
    return copy.returnSequences(r.returnsSequences())
        .returnState(r.returnsState())
        .dropout(r.dropoutRate())
        .recurrentDropout(r.recurrentDropoutRate());
  }

  /** The layer that reads the sequence in order (the one given). */
  public RecurrentLayer forwardLayer() {
    return forward;
  }

  /** The layer that reads the sequence reversed (a copy with its own weights). */
  public RecurrentLayer backwardLayer() {
    return backward;
  }

  public MergeMode mergeMode() {
    return mode;
  }

  /**
   * Whether a functional model exposes both directions' final states besides the output, as the
   * wrapped layer's {@code returnState} says (Keras takes it from the wrapped layer too).
   */
  public boolean returnsState() {
    return forward.returnsState();
  }

  /** The states of both directions: 4 (h and c of each) around an LSTM, else 2. */
  public int stateCount() {
    return 2 * forward.stateCount();
  }

  /**
   * Runs both directions from {@code initialStates} (null or empty: zeros; else the forward layer's
   * states, then the backward layer's, each [batch, units]) and returns the merged output, then the
   * forward layer's final states, then the backward layer's: Keras' {@code [output, forward_h,
   * forward_c, backward_h, backward_c]} around an LSTM. The backward layer's final states are those
   * after it read the sequence reversed, i.e. after step 0. Gradients flow into the initial states
   * and from the final ones.
   *
   * @throws IllegalArgumentException for an input that is not [batch, time, features], or states
   *     that are not {@link #stateCount} arrays of [batch, units]
   */
  public List<Variable> forwardWithStates(
      Tape tape, Variable input, List<Variable> initialStates, ForwardPass pass) {
    if (input == null || input.shape().rank() != 3) {
      throw new IllegalArgumentException(
          name()
              + " takes a 3-D input [batch, time, features] but got "
              + (input == null ? "null" : input.shape()));
    }
    int n = forward.stateCount();
    boolean given = initialStates != null && !initialStates.isEmpty();
    if (given && initialStates.size() != 2 * n) {
      throw new IllegalArgumentException(
          name()
              + " takes "
              + 2 * n
              + " initial states (the forward layer's, then the backward layer's) but got "
              + initialStates.size());
    }
    List<Variable> f =
        forward.forwardWithStates(
            tape, input, given ? initialStates.subList(0, n) : null, pass.forLayer(0));
    List<Variable> b =
        backward.forwardWithStates(
            tape,
            Ops.reverseTime(tape, input),
            given ? initialStates.subList(n, 2 * n) : null,
            pass.forLayer(1));
    List<Variable> out = new ArrayList<>(1 + 2 * n);
    out.add(merge(tape, f.get(0), b.get(0)));
    out.addAll(f.subList(1, f.size()));
    out.addAll(b.subList(1, b.size()));
    return out;
  }

  /** The forward layer's weights, then the backward layer's, each in its own Keras layout. */
  @Override
  public List<WeightArray> kerasWeights(List<WeightArray> declared) {
    int half = declared.size() / 2;
    List<WeightArray> out = new ArrayList<>(forward.kerasWeights(declared.subList(0, half)));
    out.addAll(backward.kerasWeights(declared.subList(half, declared.size())));
    return out;
  }

  @Override
  public String name() {
    return "Bidirectional(" + forward.name() + ", " + mode.kerasName() + ")";
  }

  @Override
  public boolean hasDropout() {
    return forward.hasDropout();
  }

  @Override
  public Shape build(Shape inputShape, ParameterStore store) {
    Shape out = forward.build(inputShape, store);
    backward.build(inputShape, store);
    return merged(out);
  }

  @Override
  public Shape outputShape(Shape inputShape) {
    return merged(forward.outputShape(inputShape));
  }

  private Shape merged(Shape directionShape) {
    return mode == MergeMode.CONCAT
        ? directionShape.withLast(Math.multiplyExact(2, directionShape.dim(-1)))
        : directionShape;
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    Variable f = forward.forward(tape, input, training);
    Variable b = backward.forward(tape, Ops.reverseTime(tape, input), training);
    return merge(tape, f, b);
  }

  @Override
  public Variable forward(Tape tape, Variable input, ForwardPass pass) {
    if (input.shape().rank() != 3) {
      throw new IllegalArgumentException(
          name() + " takes a 3-D input [batch, time, features] but got " + input.shape());
    }
    Variable f = forward.forward(tape, input, pass.forLayer(0));
    Variable b = backward.forward(tape, Ops.reverseTime(tape, input), pass.forLayer(1));
    return merge(tape, f, b);
  }

  private Variable merge(Tape tape, Variable f, Variable b) {
    if (backward.returnsSequences()) {
      b = Ops.reverseTime(tape, b);
    }
    return switch (mode) {
      case CONCAT -> Ops.concatLast(tape, List.of(f, b));
      case SUM -> Ops.add(tape, f, b);
      case MUL -> Ops.mul(tape, f, b);
      case AVE -> Ops.mul(tape, Ops.add(tape, f, b), half(tape, f.shape()));
    };
  }

  private static Variable half(Tape tape, Shape shape) {
    float[] v = new float[Math.toIntExact(shape.size())];
    Arrays.fill(v, 0.5f);
    return tape.constant(tape.backend().upload(new NDArray(shape, v), tape.scope()));
  }
}
