package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A functional model, Keras' {@code keras.Model(inputs, outputs)}: a graph of layer calls between
 * symbolic inputs and outputs, with several inputs, several outputs and shared layers (one layer
 * applied twice keeps one set of weights, which gets the gradient of both uses).
 *
 * <pre>{@code
 * Symbolic recent = Input.of(50, 1);                  // keras.Input(shape=(50, 1))
 * Symbolic calendar = Input.of(4);
 * Symbolic h = new LSTM(16).apply(recent);            // LSTM(16)(recent)
 * Symbolic joined = new Concatenate().apply(h, calendar);
 * Symbolic forecast = new Dense(1).apply(joined);
 * try (Model model = new Model(List.of(recent, calendar), List.of(forecast))) {
 *   model.compile(Loss.mse(), new Adam(1e-3));
 *   model.fit(List.of(xRecent, xCalendar), List.of(y), FitOptions.defaults().epochs(20));
 *   List<NDArray> predicted = model.predict(List.of(xRecent, xCalendar));
 * }
 * }</pre>
 *
 * <p>The graph is checked when the model is constructed: every tensor the outputs depend on must
 * trace back to one of the inputs, and every input must lead to an output. The layers are built
 * then, from the inputs' shapes, so shape errors name the layer at once; the weights are allocated
 * at the first use (or {@link #build}), after which {@link #seed} and {@link #backend} are fixed.
 * Data must have exactly the inputs' sample shapes.
 *
 * <p>Losses, as Keras: the compiled loss applies to every output, and the loss minimised is their
 * sum, each weighted by its loss weight (default 1); with several outputs, the history and {@link
 * #evaluate} also report each output's loss ({@code output_1_loss}, ...) and each metric per output
 * ({@code output_1_mse}, ...). A model with one input and one output takes and returns plain
 * arrays; with several, one array per input and per output, in the order given here.
 *
 * <p>Recurrent layers take and give states through the graph: {@code lstm.apply(x, h, c)} starts
 * from given states, and a layer with {@code returnState(true)} gives [output, h, c] through {@code
 * applyAll} (see {@link RecurrentLayer}). {@link #getWeights}, {@link #setWeights} and {@link
 * #summary} work as on a Sequential, with Keras' layouts and table.
 *
 * <p>Threads, closing and divergence behave exactly as for {@link Sequential} (see there): reads
 * run side by side, training and {@link #inputGradients} need the model alone, {@link #close} waits
 * for running calls.
 */
public final class Model extends AbstractModel<Model> {
  /**
   * Where a tensor comes from: output {@code index} of source {@code source}, see {@link #nodes}.
   */
  public record Connection(int source, int index) {}

  /**
   * One layer call of the graph: the layer (an index into {@link #layers}) and its inputs.
   * Connections name sources: 0 .. inputs-1 are the model's inputs, inputs + k is node k.
   */
  public record Node(int layer, List<Connection> inbound) {
    public Node {
      inbound = List.copyOf(inbound);
    }
  }

  private final FunctionalGraph graph;
  private final List<Layer> layers;

  private double[] lossWeights;
  private volatile boolean built;
  private final Trainable training = new Training();

  /**
   * A model from its symbolic inputs to its symbolic outputs.
   *
   * @throws IllegalArgumentException for a graph that is not a model (an output that depends on a
   *     tensor that is not among the inputs, an input that leads to no output, a repeated input), a
   *     layer that cannot take its inputs' shapes, or a layer that already belongs to another
   *     model; each message names the layer or the input
   */
  public Model(List<Symbolic> inputs, List<Symbolic> outputs) {
    this.graph = new FunctionalGraph(inputs, outputs);
    this.layers = graph.layers();
    List<Layer> claimed = new ArrayList<>();
    try {
      for (Layer l : layers) {
        LayerOwnership.claim(l, this);
        claimed.add(l);
      }
      graph.build(store, weights);
    } catch (RuntimeException e) {
      claimed.forEach(LayerOwnership::release); // nothing else refers to this model
      throw e;
    }
    trackMemory("Model", layers);
  }

  /**
   * A model from a description of its graph (what a model file holds): the inputs' sample shapes,
   * the distinct layers, the calls in an order where each reads only inputs and earlier calls, and
   * the outputs.
   *
   * @throws IllegalArgumentException for a connection to a source that does not exist (yet), and
   *     whatever {@link #Model(List, List)} refuses
   */
  public static Model fromGraph(
      List<Shape> inputShapes, List<Layer> layers, List<Node> nodes, List<Connection> outputs) {
    if (inputShapes == null || layers == null || nodes == null || outputs == null) {
      throw new IllegalArgumentException(
          "fromGraph needs input shapes, layers, nodes and outputs (none null)");
    }
    FunctionalGraph.Ends ends = FunctionalGraph.rebuild(inputShapes, layers, nodes, outputs);
    Model m = new Model(ends.inputs(), ends.outputs());
    if (m.layers.size() != layers.size()) {
      m.close();
      throw new IllegalArgumentException(
          "the graph uses " + m.layers.size() + " of its " + layers.size() + " layers");
    }
    return m;
  }

  /** Each output's loss weight (a copy), or null before {@link #compile}. */
  public double[] lossWeights() {
    return lossWeights == null ? null : lossWeights.clone();
  }

  /** Sets the loss of every output (weights 1), the optimizer and the metrics. */
  public Model compile(Loss loss, Optimizer optimizer, Metric... metrics) {
    double[] ones = new double[graph.outputs().size()];
    Arrays.fill(ones, 1);
    return compile(loss, ones, optimizer, metrics);
  }

  /**
   * Sets the loss of every output, each output's weight in the sum minimised (Keras' {@code
   * loss_weights}), the optimizer and the metrics.
   *
   * @throws IllegalArgumentException for a missing loss or optimizer, a null metric, or weights
   *     that are not one finite, non-negative number per output
   * @throws IllegalStateException when the model is closed or another thread is using it
   */
  public Model compile(Loss loss, double[] lossWeights, Optimizer optimizer, Metric... metrics) {
    try (UsageGuard.Lease held = exclusively("compile")) {
      if (loss == null || optimizer == null) {
        throw new IllegalArgumentException(
            "compile needs a loss and an optimizer, got loss "
                + (loss == null ? "null" : loss.name())
                + " and optimizer "
                + optimizer);
      }
      if (lossWeights == null || lossWeights.length != graph.outputs().size()) {
        throw new IllegalArgumentException(
            "compile: give one loss weight per output ("
                + graph.outputs().size()
                + "), got "
                + (lossWeights == null ? "null" : Arrays.toString(lossWeights)));
      }
      for (double w : lossWeights) {
        if (!Double.isFinite(w) || w < 0) {
          throw new IllegalArgumentException(
              "compile: loss weights must be finite and >= 0, got " + Arrays.toString(lossWeights));
        }
      }
      if (metrics == null || Arrays.asList(metrics).contains(null)) {
        throw new IllegalArgumentException(
            "compile: metrics must not be null nor contain null (pass none for no metrics)");
      }
      setCompiled(loss, optimizer, metrics);
      this.lossWeights = lossWeights.clone();
      return this;
    }
  }

  /** Whether the weights are allocated (at the first use, or by {@link #build}). */
  public boolean isBuilt() {
    return built;
  }

  /** Allocates and initializes the weights now (otherwise done at the first use). Idempotent. */
  public Model build() {
    try (UsageGuard.Lease held = shared("build")) {
      allocateOnce();
      return this;
    }
  }

  private synchronized void allocateOnce() {
    if (!built) {
      store.allocate(backend(), seed());
      built = true;
    }
  }

  /** The model's inputs, in order. */
  public List<Symbolic> inputs() {
    return graph.inputs();
  }

  /** The model's outputs, in order. */
  public List<Symbolic> outputs() {
    return graph.outputs();
  }

  /** Each input's sample shape (batch axis excluded). */
  public List<Shape> inputShapes() {
    return graph.inputShapes();
  }

  /** Each output's sample shape (batch axis excluded). */
  public List<Shape> outputShapes() {
    return graph.outputShapes();
  }

  /** The distinct layers, in the order of their first call (the order their weights are stored). */
  public List<Layer> layers() {
    return layers;
  }

  /** The layer calls in the order they run, each with its inputs (what a model file stores). */
  public List<Node> nodes() {
    return graph.nodes();
  }

  /** Where each output comes from, in the terms of {@link #nodes}. */
  public List<Connection> outputConnections() {
    return graph.outputConnections();
  }

  /**
   * Trains a model of one input and one output on (x, y).
   *
   * @throws IllegalArgumentException for a model with several inputs or outputs, or bad data
   * @throws IllegalStateException as {@link Sequential#fit}
   */
  public History fit(NDArray x, NDArray y, FitOptions options) {
    return fit(single("fit", x, graph.inputs()), single("fit", y, graph.outputs()), options);
  }

  /**
   * Trains on one array per input and one target array per output; returns the per-epoch history.
   *
   * @throws IllegalArgumentException for bad data (counts, shapes, NaN/Inf, no samples) before any
   *     work
   * @throws IllegalStateException when training diverges, or another thread is using the model
   */
  public History fit(List<NDArray> x, List<NDArray> y, FitOptions options) {
    try (UsageGuard.Lease held = exclusively("fit")) {
      return FitLoop.fit(training, x, y, options);
    }
  }

  /** One training step on one batch of a model of one input and one output; the batch loss. */
  public float trainOnBatch(NDArray x, NDArray y) {
    return trainOnBatch(
        single("trainOnBatch", x, graph.inputs()), single("trainOnBatch", y, graph.outputs()));
  }

  /** One training step on one batch (one array per input and per output); the batch loss. */
  public float trainOnBatch(List<NDArray> x, List<NDArray> y) {
    try (UsageGuard.Lease held = exclusively("trainOnBatch")) {
      return FitLoop.trainOnBatch(training, x, y);
    }
  }

  /** The loss and every metric on (x, y) for a model of one input and one output. */
  public Map<String, Double> evaluate(NDArray x, NDArray y, int batchSize) {
    return evaluate(
        single("evaluate", x, graph.inputs()), single("evaluate", y, graph.outputs()), batchSize);
  }

  /** The loss and every reported value on (x, y), as Keras' {@code evaluate}: name → value. */
  public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, int batchSize) {
    try (UsageGuard.Lease held = shared("evaluate")) {
      if (loss == null) {
        throw new IllegalStateException("compile the model before evaluate");
      }
      DataChecks.batchSize(batchSize);
      training.prepare("evaluate", x, y);
      return Evaluation.run(training, x, y, batchSize);
    }
  }

  /** Predictions of a model of one input and one output, in batches of 32. */
  public NDArray predict(NDArray x) {
    if (graph.outputs().size() != 1) {
      throw new IllegalArgumentException(
          "predict(NDArray) returns one array, but this model has "
              + graph.outputs().size()
              + " outputs; use predict(List)");
    }
    return predict(single("predict", x, graph.inputs()), 32).get(0);
  }

  /** Predictions for every sample, one array per output, in batches of 32. */
  public List<NDArray> predict(List<NDArray> x) {
    return predict(x, 32);
  }

  /** Predictions for every sample, one array per output, in batches of {@code batchSize}. */
  public List<NDArray> predict(List<NDArray> x, int batchSize) {
    try (UsageGuard.Lease held = shared("predict")) {
      DataChecks.batchSize(batchSize);
      int n = graph.checkInputs("predict", x);
      allocateOnce();
      Backend b = backend();
      List<float[]> out = new ArrayList<>();
      List<Shape> outShapes = new ArrayList<>();
      for (Shape s : outputShapes()) {
        Shape full = s.prepend(n);
        NDArray.requireHeapSize("predict output", full);
        outShapes.add(full);
        out.add(new float[Math.toIntExact(full.size())]);
      }
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        try (Tape tape = new Tape(b, false)) {
          List<Variable> pred =
              forward(tape, Evaluation.upload(tape, x, from, to), ForwardPass.inference());
          for (int k = 0; k < pred.size(); k++) {
            float[] part = b.download(pred.get(k).value()).data();
            int at = Math.toIntExact(from * outShapes.get(k).rowSize());
            System.arraycopy(part, 0, out.get(k), at, part.length);
          }
        }
      }
      List<NDArray> result = new ArrayList<>();
      for (int k = 0; k < out.size(); k++) {
        result.add(
            NonFiniteOutputException.requireFinite(new NDArray(outShapes.get(k), out.get(k))));
      }
      return result;
    }
  }

  /**
   * The gradient of the sum of every output value with respect to each input value, for a model of
   * one input (see {@link #inputGradients(List)}).
   */
  public NDArray inputGradients(NDArray x) {
    return inputGradients(single("inputGradients", x, graph.inputs())).get(0);
  }

  /**
   * The gradient of the sum of every output value (all outputs) with respect to each input value,
   * one array per input with that input's shape: saliency, what Keras users get from {@code
   * tape.gradient(model(x), x)}. Computed without dropout, in batches of 32; it needs the model
   * alone, as {@link #fit} does.
   */
  public List<NDArray> inputGradients(List<NDArray> x) {
    try (UsageGuard.Lease held = exclusively("inputGradients")) {
      graph.checkInputs("inputGradients", x);
      allocateOnce();
      return InputGradients.ofOutputSum(training, x, 32);
    }
  }

  /**
   * The gradient of the compiled loss over all of (x, y) (the "loss" {@link #evaluate} reports,
   * loss weights included) with respect to each input value, one array per input; computed without
   * dropout.
   */
  public List<NDArray> inputGradients(List<NDArray> x, List<NDArray> y) {
    try (UsageGuard.Lease held = exclusively("inputGradients")) {
      if (loss == null) {
        throw new IllegalStateException("compile the model before inputGradients of the loss");
      }
      training.prepare("inputGradients", x, y);
      return InputGradients.ofLoss(training, x, y, 32);
    }
  }

  /**
   * Runs the graph on a batch of each input; for custom training loops. With {@code training},
   * dropout masks come from {@link #nextMaskSeed}.
   */
  public List<Variable> forward(Tape tape, List<Variable> inputs, boolean training) {
    return forward(
        tape, inputs, training ? ForwardPass.training(nextMaskSeed()) : ForwardPass.inference());
  }

  /**
   * Runs the graph on a batch of each input as {@code pass} says; the k-th call (in {@link #nodes}
   * order) gets the pass's seed for position k, as a Sequential's k-th layer does. Holds the model
   * until the tape is closed.
   */
  public List<Variable> forward(Tape tape, List<Variable> inputs, ForwardPass pass) {
    requireOpen();
    if (tape == null || inputs == null || pass == null) {
      throw new IllegalArgumentException("forward needs a tape, the inputs and a pass (none null)");
    }
    if (inputs.size() != graph.inputs().size() || inputs.stream().anyMatch(v -> v == null)) {
      throw new IllegalArgumentException(
          "forward: the model has "
              + graph.inputs().size()
              + " inputs but got "
              + inputs.size()
              + " variables (or a null)");
    }
    holdUntilClosed(tape);
    allocateOnce();
    return graph.run(tape, inputs, pass);
  }

  /**
   * Each layer's name, in {@link #layers} order, as Keras names layers ({@code lstm}, {@code
   * lstm_1}, {@code dense}, ...; see {@link Sequential#layerNames}). Summaries and weight errors
   * use these names.
   */
  public List<String> layerNames() {
    return LayerNames.of(layers);
  }

  /**
   * Every layer's weights, in {@link #layers} order (a shared layer once), each layer's arrays in
   * Keras' order and layouts, copied to the heap: Keras' {@code model.get_weights()}, with the
   * layouts {@link Sequential#getWeights} lists. A functional model knows its shapes from its
   * inputs, so this builds it if it is not yet (fixing {@link #seed} and {@link #backend}).
   *
   * @throws IllegalStateException when the model is closed, or another thread trains it
   */
  public List<NDArray> getWeights() {
    try (UsageGuard.Lease held = shared("getWeights")) {
      allocateOnce();
      return ModelWeights.read(backend(), weights.arrays(layers));
    }
  }

  /**
   * Replaces every weight with {@code values}, in the order and layouts {@link #getWeights}
   * returns, exactly as {@link Sequential#setWeights}: everything is checked before anything
   * changes, NaN and infinite values are refused, the optimizer's state is kept, and a fit's own
   * callback may call it between batches. Builds the model first if it is not yet.
   *
   * @throws IllegalArgumentException naming the layer, the array and both shapes (or the count, or
   *     the first non-finite value) when {@code values} does not fit; the weights are unchanged
   * @throws IllegalStateException when the model is closed, or another thread is using it
   */
  public void setWeights(List<NDArray> values) {
    try (UsageGuard.Lease held = exclusivelyOrWithin("setWeights")) {
      allocateOnce();
      ModelWeights.write(backend(), "the model", weights.targets(layers, layerNames()), values);
    }
  }

  /** {@link Layer#getWeights} of one of this model's layers. */
  List<NDArray> getWeights(Layer layer) {
    try (UsageGuard.Lease held = shared("getWeights")) {
      allocateOnce();
      return ModelWeights.read(
          backend(), weights.arrays(ModelWeights.indexOf(layers, layer), layer));
    }
  }

  /** {@link Layer#setWeights} of one of this model's layers. */
  void setWeights(Layer layer, List<NDArray> values) {
    try (UsageGuard.Lease held = exclusivelyOrWithin("setWeights")) {
      allocateOnce();
      int i = ModelWeights.indexOf(layers, layer);
      String name = layerNames().get(i);
      ModelWeights.write(backend(), "layer " + name, weights.targets(i, layer, name), values);
    }
  }

  /**
   * The model as Keras' {@code model.summary()} shows a functional model: a row per input and per
   * layer (each shared layer once) with its Keras name and type, output shape ({@code None} for the
   * batch; a list for a layer giving several tensors, such as a recurrent layer returning its
   * states), parameter count and "Connected to" (each tensor its calls read, as {@code
   * name[call][tensor]}), then the total, trainable and non-trainable counts with their float32
   * sizes, as {@link Sequential#summary} prints them. It allocates nothing.
   */
  public String summary() {
    return GraphSummary.of(graph, layerNames(), weights);
  }

  private static List<NDArray> single(String what, NDArray a, List<Symbolic> side) {
    if (side.size() != 1) {
      throw new IllegalArgumentException(
          what
              + ": this model has "
              + side.size()
              + " inputs or outputs where an array was given for one; pass a list with one array per"
              + " input and per output");
    }
    return Collections.singletonList(a);
  }

  @Override
  Model self() {
    return this;
  }

  @Override
  String describe() {
    return "Model of " + layers.stream().map(Layer::name).toList();
  }

  /** The fit loop's and evaluation's view of this model. */
  private final class Training extends TrainingView {

    @Override
    public List<String> valueNames() {
      List<String> names = new ArrayList<>();
      names.add("loss");
      if (graph.outputs().size() == 1) {
        metrics.forEach(m -> names.add(m.name()));
        return names;
      }
      for (int k = 0; k < graph.outputs().size(); k++) {
        names.add("output_" + (k + 1) + "_loss");
      }
      for (int k = 0; k < graph.outputs().size(); k++) {
        for (Metric m : metrics) {
          names.add("output_" + (k + 1) + "_" + m.name());
        }
      }
      return names;
    }

    @Override
    public double report(int index, double mean) {
      int outs = graph.outputs().size();
      int firstMetric =
          outs == 1 ? 1 : 1 + outs; // losses come first: the total, then each output's
      return index < firstMetric
          ? mean
          : metrics.get((index - firstMetric) % metrics.size()).result(mean);
    }

    @Override
    public void prepare(String what, List<NDArray> x, List<NDArray> y) {
      int n = graph.checkInputs(what, x);
      if (y == null || y.size() != graph.outputs().size()) {
        throw new IllegalArgumentException(
            what
                + ": the model has "
                + graph.outputs().size()
                + " outputs but got "
                + (y == null ? "null" : y.size() + " target arrays"));
      }
      for (int k = 0; k < y.size(); k++) {
        String name = graph.outputs().size() == 1 ? what + " Y" : what + " target " + (k + 1);
        if (y.get(k) == null) {
          throw new IllegalArgumentException(name + " is null");
        }
        if (y.get(k).rank() < 2 || y.get(k).dim(0) != n) {
          throw new IllegalArgumentException(
              name
                  + " must be ["
                  + n
                  + " samples, ...] like the inputs, got shape "
                  + y.get(k).shape());
        }
        TargetShapes.check(
            what,
            loss,
            graph.outputShapes().get(k),
            y.get(k).shape().dropFirst(),
            "the model's output " + (k + 1) + " has",
            name);
        y.get(k).requireFinite(name);
      }
      allocateOnce();
    }

    @Override
    public Variable[] lossAndMetrics(
        Tape tape, List<Variable> x, List<Variable> y, ForwardPass pass) {
      List<Variable> pred = forward(tape, x, pass);
      int outs = pred.size();
      Variable[] values = new Variable[names().size()];
      if (outs == 1) {
        values[0] = weighted(tape, loss.compute(tape, pred.get(0), y.get(0)), lossWeights[0]);
        for (int i = 0; i < metrics.size(); i++) {
          values[1 + i] = metrics.get(i).compute(tape, pred.get(0), y.get(0));
        }
        return values;
      }
      Variable total = null;
      for (int k = 0; k < outs; k++) {
        values[1 + k] = loss.compute(tape, pred.get(k), y.get(k));
        Variable term = weighted(tape, values[1 + k], lossWeights[k]);
        total = total == null ? term : Ops.add(tape, total, term);
      }
      values[0] = total;
      int at = 1 + outs;
      for (int k = 0; k < outs; k++) {
        for (Metric m : metrics) {
          values[at++] = m.compute(tape, pred.get(k), y.get(k));
        }
      }
      return values;
    }

    private List<String> names() {
      return valueNames();
    }

    /**
     * {@code weight · value}, with no op at all for weight 1 (so one output matches Sequential).
     */
    private Variable weighted(Tape tape, Variable value, double weight) {
      if (weight == 1) {
        return value;
      }
      var w = tape.backend().upload(NDArray.of(new float[] {(float) weight}, 1), tape.scope());
      return Ops.mul(tape, value, tape.constant(w));
    }

    @Override
    public List<Variable> outputs(Tape tape, List<Variable> x, ForwardPass pass) {
      return forward(tape, x, pass);
    }

    @Override
    public Map<String, Double> evaluate(List<NDArray> x, List<NDArray> y, int batchSize) {
      return Model.this.evaluate(x, y, batchSize);
    }
  }
}
