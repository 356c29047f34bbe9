package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floating-point work of a layer stack, counted layer by layer for one sample of a given
 * length. A multiply-add counts 2 FLOP, every other arithmetic operation 1. Per time step and
 * sample, with F input features and u units:
 *
 * <ul>
 *   <li>Dense(u): {@code 2·F·u} products + {@code u} bias; parameters {@code F·u + u}.
 *   <li>SimpleRNN(u): {@code 2·(F + u)·u} products + {@code u} bias + {@code u} tanh; parameters
 *       {@code (F + u)·u + u}.
 *   <li>Layer-norm SimpleRNN(u): the SimpleRNN work + {@code 7·u} for the normalization (mean,
 *       centre, variance 2, scale, γ, β); parameters {@code (F + u)·u + 3·u}.
 *   <li>LSTM(u), 4 gates: {@code 2·(F + u)·4u} products + {@code 4u} bias + {@code 4u} gate
 *       activations + {@code 5u} for the cell and output ({@code f·c + i·g}, {@code tanh c}, {@code
 *       o·}); parameters {@code 4·((F + u)·u + u)}.
 *   <li>GRU(u), 3 gates, Keras' reset-after form: {@code 2·(F + u)·3u} products + {@code 6u} biases
 *       (input and recurrent) + {@code 3u} activations + {@code 5u} for the blend; parameters
 *       {@code 3·((F + u)·u + 2u)}.
 *   <li>Conv1D(C, K): {@code 2·K·F·C} products + {@code C} bias (+ {@code C} ReLU) per
 *       <em>output</em> step; parameters {@code K·F·C + C}. Causal padding keeps the length, valid
 *       padding gives {@code (T − (K − 1)·d − 1) / s + 1} steps.
 * </ul>
 *
 * <p>A recurrent layer that does not return sequences still runs every input step, then hands on
 * one step. A training step is {@code 3 ×} (batch × forward + MSE loss, 3 FLOP per output value)
 * for the forward pass and the backward pass (whose products dX and dW each cost as much as the
 * forward product), plus Adam at 10 FLOP per parameter. Inference is one forward pass.
 *
 * <pre>{@code
 * ModelFlops lstm = ModelFlops.input(50, 1).lstm(20, true).lstm(20, true).dense(10);
 * double perStep = lstm.trainStepFlops(32);      // batch 32 x 50 steps
 * }</pre>
 */
public final class ModelFlops {
  /**
   * FLOP per parameter of one Adam update (moments, bias correction, square root, division, step).
   */
  public static final int ADAM_FLOP_PER_PARAMETER = 10;

  /** FLOP per output value of the MSE loss (difference, square, sum). */
  public static final int MSE_FLOP_PER_OUTPUT = 3;

  /** Backward costs about twice the forward (dX and dW per product): a step is 3 forwards. */
  public static final int TRAIN_TO_FORWARD = 3;

  private final int inputSteps;
  private int steps;
  private int features;
  private double forwardPerSample;
  private long parameters;
  private final List<String> layers = new ArrayList<>();

  private ModelFlops(int steps, int features) {
    this.inputSteps = steps;
    this.steps = steps;
    this.features = features;
  }

  /** An empty stack fed {@code steps} time steps of {@code features} values per sample. */
  public static ModelFlops input(int steps, int features) {
    positive("steps", steps);
    positive("features", features);
    return new ModelFlops(steps, features);
  }

  /** Flatten: the window becomes one step of {@code steps · features} values; no arithmetic. */
  public ModelFlops flatten() {
    features = Math.multiplyExact(steps, features);
    steps = 1;
    layers.add("Flatten");
    return this;
  }

  /** Dense(units) applied at every remaining step (TimeDistributed when there are several). */
  public ModelFlops dense(int units) {
    positive("units", units);
    add(
        "Dense(" + units + ")",
        steps * (2.0 * features * units + units),
        (long) features * units + units);
    features = units;
    return this;
  }

  /** SimpleRNN(units) with tanh; {@code returnSequences} false keeps only the last step. */
  public ModelFlops simpleRnn(int units, boolean returnSequences) {
    return recurrent("SimpleRNN", units, returnSequences, 1, 2.0 * units, units);
  }

  /** The book's layer-normalized SimpleRNN cell. */
  public ModelFlops layerNormRnn(int units, boolean returnSequences) {
    return recurrent("LN-SimpleRNN", units, returnSequences, 1, 9.0 * units, 3L * units);
  }

  /** LSTM(units): 4 gates. */
  public ModelFlops lstm(int units, boolean returnSequences) {
    return recurrent("LSTM", units, returnSequences, 4, 13.0 * units, 4L * units);
  }

  /** GRU(units), reset after: 3 gates, separate input and recurrent biases. */
  public ModelFlops gru(int units, boolean returnSequences) {
    return recurrent("GRU", units, returnSequences, 3, 14.0 * units, 6L * units);
  }

  private ModelFlops recurrent(
      String name, int units, boolean returnSequences, int gates, double pointwise, long biases) {
    positive("units", units);
    double products = 2.0 * (features + units) * gates * units;
    long weights = (long) (features + units) * gates * units + biases;
    add(
        name + "(" + units + (returnSequences ? ", rs" : "") + ")",
        steps * (products + pointwise),
        weights);
    features = units;
    if (!returnSequences) {
      steps = 1;
    }
    return this;
  }

  /**
   * Conv1D({@code filters}, {@code kernel}) with the given stride and dilation; {@code causal} pads
   * the front so the length stays (stride 1), otherwise valid padding; {@code relu} adds one FLOP
   * per output value.
   */
  public ModelFlops conv(
      int filters, int kernel, int stride, int dilation, boolean causal, boolean relu) {
    positive("filters", filters);
    positive("kernel", kernel);
    positive("stride", stride);
    positive("dilation", dilation);
    int span = (kernel - 1) * dilation + 1;
    int out = causal ? (steps + stride - 1) / stride : (steps - span) / stride + 1;
    if (out < 1) {
      throw new IllegalArgumentException(
          "conv: a kernel spanning "
              + span
              + " steps needs at least that many input "
              + "steps, got "
              + steps);
    }
    double perStep = 2.0 * kernel * features * filters + filters + (relu ? filters : 0);
    add(
        "Conv1D("
            + filters
            + ", "
            + kernel
            + (stride > 1 ? ", s" + stride : "")
            + (dilation > 1 ? ", d" + dilation : "")
            + ")",
        out * perStep,
        (long) kernel * features * filters + filters);
    steps = out;
    features = filters;
    return this;
  }

  private void add(String name, double flops, long params) {
    layers.add(name);
    forwardPerSample += flops;
    parameters += params;
  }

  /** Forward FLOPs of one sample of the input length given to {@link #input}. */
  public double forwardFlops() {
    return forwardPerSample;
  }

  /** Output values per sample (steps × features after the last layer). */
  public long outputsPerSample() {
    return (long) steps * features;
  }

  /** Trainable parameters. */
  public long parameters() {
    return parameters;
  }

  /** Input time steps per sample. */
  public int inputSteps() {
    return inputSteps;
  }

  /** Forward + backward of {@code batch} samples, the MSE loss and one Adam update. */
  public double trainStepFlops(int batch) {
    positive("batch", batch);
    double forward = batch * (forwardPerSample + MSE_FLOP_PER_OUTPUT * (double) outputsPerSample());
    return TRAIN_TO_FORWARD * forward + ADAM_FLOP_PER_PARAMETER * (double) parameters;
  }

  /** One forward pass over a single series (batch 1). */
  public double inferenceFlops() {
    return forwardPerSample;
  }

  /** The layers, e.g. {@code LSTM(20, rs) -> LSTM(20, rs) -> Dense(10)}. */
  public String describe() {
    return String.join(" -> ", layers);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s: %d params, %.0f forward FLOP per sample of %d steps",
        describe(),
        parameters,
        forwardPerSample,
        inputSteps);
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }
}
