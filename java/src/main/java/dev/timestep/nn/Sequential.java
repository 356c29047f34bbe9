package dev.timestep.nn;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A stack of layers trained as one model, with Keras' workflow: {@code compile}, then {@code fit},
 * {@code evaluate}, {@code predict}. The model is built from the first data it sees. It owns its
 * parameters' memory: close it (try-with-resources) when done; any use after {@link #close} throws
 * {@link IllegalStateException}.
 *
 * <p><b>Threads.</b> {@link #predict} and {@link #evaluate} (and saving, MC dropout, forecasts)
 * only read the weights: any number of threads may call them at once on one model, and each gets
 * exactly (bit for bit) what a sequential call returns. {@link #fit}, {@link #trainOnBatch} and
 * {@link #compile} change the model and need it alone: called while another thread is inside the
 * model, they throw {@link IllegalStateException} at once (they never wait), and a read called
 * during a fit throws the same way, so weights are never read half-updated or written twice. {@link
 * #close} waits for running calls instead (see there). Setters ({@link #add}, {@link #seed}, {@link
 * #backend}) are for the thread that assembles the model. {@link #forward} holds the model until
 * its tape is closed, so a backward pass never reads freed weights; code that reads the model
 * across several calls holds it with {@link #lease}.
 *
 * <p><b>Divergence.</b> A loss or an update that becomes NaN or infinite stops training with an
 * {@link IllegalStateException} that names the epoch and batch; the model keeps the weights of the
 * last finite step.
 */
public final class Sequential extends AbstractModel<Sequential> {
  private final List<Layer> layers = new ArrayList<>();
  private List<String> valueNames = List.of("loss"); // "loss", then each metric: the logs' keys
  private Shape inputShape;

  private final Trainable training = new Training();

  public Sequential(Layer... layers) {
    trackMemory("Sequential", this.layers);
    for (Layer l : layers) {
      add(l);
    }
  }

  public Sequential add(Layer layer) {
    requireOpen();
    if (layer == null) {
      throw new IllegalArgumentException("layer must not be null");
    }
    if (isBuilt()) {
      throw new IllegalStateException(
          "cannot add " + layer.name() + ": the model is already built");
    }
    LayerOwnership.claim(layer, this);
    layers.add(layer);
    return this;
  }

  /**
   * Sets the loss, the optimizer and the metrics reported beside the loss.
   *
   * @throws IllegalStateException when the model is closed or another thread is using it
   */
  public Sequential compile(Loss loss, Optimizer optimizer, Metric... metrics) {
    try (UsageGuard.Lease held = exclusively("compile")) {
      if (loss == null || optimizer == null) {
        throw new IllegalArgumentException(
            "compile needs a loss and an optimizer, got loss "
                + (loss == null ? "null" : loss.name())
                + " and optimizer "
                + optimizer);
      }
      if (metrics == null) {
        throw new IllegalArgumentException(
            "compile: metrics must not be null (pass none for no metrics)");
      }
      for (Metric m : metrics) {
        if (m == null) {
          throw new IllegalArgumentException("compile: metrics must not contain null");
        }
      }
      setCompiled(loss, optimizer, metrics);
      List<String> names = new ArrayList<>();
      names.add("loss");
      for (Metric m : metrics) {
        names.add(m.name());
      }
      this.valueNames = List.copyOf(names);
      return this;
    }
  }

  public boolean isBuilt() {
    return inputShape != null;
  }

  /**
   * The per-sample shape the model was built for (batch axis excluded), or null before it is built.
   */
  public Shape inputShape() {
    return inputShape;
  }

  /**
   * Builds the layers for samples of the given shape (batch axis excluded). Idempotent, and safe to
   * race: concurrent first calls build once.
   */
  public Sequential build(Shape sampleShape) {
    try (UsageGuard.Lease held = shared("build")) {
      return buildOnce(sampleShape);
    }
  }

  private synchronized Sequential buildOnce(Shape sampleShape) {
    if (sampleShape == null) {
      throw new IllegalArgumentException("build: the sample shape must not be null");
    }
    if (isBuilt()) {
      if (sampleShape.rank() != inputShape.rank()) {
        throw new IllegalArgumentException(
            "the model was built for samples of shape "
                + inputShape
                + " but got samples of shape "
                + sampleShape);
      }
      return this; // other lengths are each layer's to accept or refuse
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException("the model has no layers");
    }
    weights.build(layers, sampleShape);
    store.allocate(backend(), seed());
    inputShape = sampleShape;
    return this;
  }

  /**
   * Trains on (x, y) and returns the per-epoch history.
   *
   * @throws IllegalArgumentException for bad data (shapes, NaN/Inf, no samples) before any work
   * @throws TrainingDivergedException when training diverges (the message names epoch and batch;
   *     the weights stay those of the last finite step), unless a callback stops training on the
   *     NaN loss ({@code TerminateOnNaN})
   * @throws IllegalStateException when another thread is using the model
   */
  public History fit(NDArray x, NDArray y, FitOptions options) {
    try (UsageGuard.Lease held = exclusively("fit")) {
      return FitLoop.fit(training, one(x), one(y), options);
    }
  }

  /**
   * One training step on one batch (Keras' {@code train_on_batch}): forward, loss, backward and one
   * optimizer update. Returns the batch loss.
   */
  public float trainOnBatch(NDArray x, NDArray y) {
    try (UsageGuard.Lease held = exclusively("trainOnBatch")) {
      return FitLoop.trainOnBatch(training, one(x), one(y));
    }
  }

  /** The loss and every metric on (x, y), as Keras' {@code evaluate}: name → value. */
  public Map<String, Double> evaluate(NDArray x, NDArray y, int batchSize) {
    try (UsageGuard.Lease held = shared("evaluate")) {
      if (loss == null) {
        throw new IllegalStateException("compile the model before evaluate");
      }
      DataChecks.pair("evaluate", x, y);
      DataChecks.batchSize(batchSize);
      build(x.shape().dropFirst());
      checkTargets("evaluate", x, y);
      return Evaluation.run(training, one(x), one(y), batchSize);
    }
  }

  /** Predictions for every sample of x, computed in batches of 32. */
  public NDArray predict(NDArray x) {
    return predict(x, 32);
  }

  /** Predictions for every sample of x, computed in batches of {@code batchSize}. */
  public NDArray predict(NDArray x, int batchSize) {
    try (UsageGuard.Lease held = shared("predict")) {
      DataChecks.inputs("predict X", x);
      DataChecks.batchSize(batchSize);
      build(x.shape().dropFirst());
      outputShapeFor(x.shape().dropFirst()); // refuses lengths a layer cannot take, before any work
      Backend b = backend();
      int n = x.dim(0);
      float[] out = null;
      Shape outShape = null;
      for (int from = 0; from < n; from += batchSize) {
        int to = Math.min(n, from + batchSize);
        try (Tape tape = new Tape(b, false)) {
          Variable pred =
              forward(tape, tape.constant(b.upload(x.rows(from, to), scopeOf(tape))), false);
          NDArray part = b.download(pred.value());
          if (out == null) {
            outShape = pred.shape().withFirst(n);
            out = new float[Math.toIntExact(outShape.size())];
          }
          System.arraycopy(
              part.data(), 0, out, Math.toIntExact(from * outShape.rowSize()), part.data().length);
        }
      }
      return NonFiniteOutputException.requireFinite(new NDArray(outShape, out));
    }
  }

  /**
   * The gradient of the sum of every prediction with respect to each input value (saliency: how
   * much each input value moves the outputs), computed without dropout, in batches of 32. What a
   * Keras user gets from {@code tape.gradient(model(x), x)} under a {@code GradientTape} watching
   * x. The result has x's shape. It uses the model's gradient buffers, so it needs the model alone
   * as {@link #fit} does.
   *
   * @throws IllegalArgumentException for bad data (shape, NaN/Inf, no samples)
   * @throws IllegalStateException when the model is closed or another thread is using it
   */
  public NDArray inputGradients(NDArray x) {
    try (UsageGuard.Lease held = exclusively("inputGradients")) {
      DataChecks.inputs("inputGradients X", x);
      build(x.shape().dropFirst());
      outputShapeFor(x.shape().dropFirst());
      return InputGradients.ofOutputSum(training, one(x), 32).get(0);
    }
  }

  /**
   * The gradient of the compiled loss over all of (x, y), the value {@link #evaluate} reports as
   * "loss", with respect to each input value: Keras' {@code tape.gradient(loss_fn(y, model(x)), x)}
   * with the loss taken over the whole set. Computed without dropout, in batches of 32 (each
   * batch's gradient weighted by its share of the samples, so the batch size does not change the
   * result). The result has x's shape.
   *
   * @throws IllegalArgumentException for bad data (shapes, NaN/Inf, no samples)
   * @throws IllegalStateException before compile, when the model is closed or another thread is
   *     using it
   */
  public NDArray inputGradients(NDArray x, NDArray y) {
    try (UsageGuard.Lease held = exclusively("inputGradients")) {
      if (loss == null) {
        throw new IllegalStateException("compile the model before inputGradients of the loss");
      }
      training.prepare("inputGradients", one(x), one(y));
      return InputGradients.ofLoss(training, one(x), one(y), 32).get(0);
    }
  }

  /**
   * Runs every layer on a batch; for custom training loops. With {@code training}, dropout masks
   * come from {@link #nextMaskSeed}.
   */
  public Variable forward(Tape tape, Variable input, boolean training) {
    return forward(
        tape, input, training ? ForwardPass.training(nextMaskSeed()) : ForwardPass.inference());
  }

  /**
   * Runs every layer on a batch as {@code pass} says (e.g. {@link ForwardPass#monteCarlo} for MC
   * dropout); each layer gets a seed of its own derived from the pass's seed and its position.
   */
  public Variable forward(Tape tape, Variable input, ForwardPass pass) {
    requireOpen();
    if (tape == null || input == null) {
      throw new IllegalArgumentException(
          "forward needs a tape and an input, got tape " + tape + " and input " + input);
    }
    if (pass == null) {
      throw new IllegalArgumentException(
          "forward: pass must not be null (use ForwardPass.inference())");
    }
    holdUntilClosed(tape);
    if (!isBuilt()) {
      build(input.shape().dropFirst());
    }
    Variable v = input;
    for (int i = 0; i < layers.size(); i++) {
      v = layers.get(i).forward(tape, v, pass.forLayer(i));
    }
    return v;
  }

  /** The compiled metrics themselves, not a copy, for {@link FitLoop}. */
  List<Metric> compiledMetrics() {
    return metrics;
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /**
   * The model as Keras' {@code model.summary()} shows it: a table with one row per layer (its name
   * and type, e.g. {@code lstm (LSTM)}; its output shape with {@code None} for the batch, for the
   * input shape the model was built with; its parameter count), then the total, trainable and
   * non-trainable counts (batch normalization's moving statistics are non-trainable) with their
   * float32 sizes. Before the model is built the table says so instead of counting. A wrapped layer
   * (TimeDistributed's) is counted in its wrapper's row, as Keras shows it.
   */
  public String summary() {
    return ModelSummary.of(layers, layerNames(), inputShape, weights);
  }

  /**
   * Each layer's name, as Keras names layers: its type in snake case, numbered from the second of a
   * kind ({@code lstm}, {@code lstm_1}, {@code simple_rnn}, {@code conv1d}, ...). Summaries and
   * weight errors use these names.
   */
  public List<String> layerNames() {
    return LayerNames.of(layers);
  }

  /**
   * Every layer's weights, first layer first, each layer's arrays in Keras' order and layouts (as
   * {@code model.get_weights()}), copied to the heap: Dense kernel [in, units], bias [units];
   * SimpleRNN and LSTM kernel [features, G·units], recurrent_kernel [units, G·units], bias
   * [G·units] (LSTM gates i, f, c, o); GRU the same with gates z, r, h and bias [2, 3·units] (input
   * bias row, recurrent bias row, Keras' reset_after); LayerNormSimpleRNN kernel, recurrent_kernel,
   * bias, then γ [units] and β [units]; Conv1D kernel [kernelSize, channels, filters], bias
   * [filters]; LayerNormalization γ, β; BatchNormalization γ, β, moving_mean, moving_variance.
   * docs/WEIGHTS.md gives the PyTorch correspondence.
   *
   * @throws IllegalStateException when the model is not built, is closed, or another thread trains
   *     it
   */
  public List<NDArray> getWeights() {
    try (UsageGuard.Lease held = shared("getWeights")) {
      requireBuilt("getWeights");
      return ModelWeights.read(backend(), weights.arrays(layers));
    }
  }

  /**
   * Replaces every weight with {@code values}, in the order and layouts {@link #getWeights}
   * returns. Everything is checked first (the number of arrays, then each array's shape and values)
   * and nothing changes unless all pass. Unlike Keras, NaN and infinite values are refused, as a
   * model file with them is. The optimizer's state is kept, as in Keras. It needs the model alone,
   * as {@code fit} does, except that a fit's own callback may call it between batches (to restore
   * the best weights, say).
   *
   * @throws IllegalArgumentException naming the layer, the array and both shapes (or the count, or
   *     the first non-finite value) when {@code values} does not fit; the weights are unchanged
   * @throws IllegalStateException when the model is not built, is closed, or another thread is
   *     using it
   */
  public void setWeights(List<NDArray> values) {
    try (UsageGuard.Lease held = exclusivelyOrWithin("setWeights")) {
      requireBuilt("setWeights");
      ModelWeights.write(backend(), "the model", weights.targets(layers, layerNames()), values);
    }
  }

  /** {@link Layer#getWeights} of one of this model's layers. */
  List<NDArray> getWeights(Layer layer) {
    try (UsageGuard.Lease held = shared("getWeights")) {
      requireBuilt("getWeights");
      return ModelWeights.read(
          backend(), weights.arrays(ModelWeights.indexOf(layers, layer), layer));
    }
  }

  /** {@link Layer#setWeights} of one of this model's layers. */
  void setWeights(Layer layer, List<NDArray> values) {
    try (UsageGuard.Lease held = exclusivelyOrWithin("setWeights")) {
      requireBuilt("setWeights");
      int i = ModelWeights.indexOf(layers, layer);
      String name = layerNames().get(i);
      ModelWeights.write(backend(), "layer " + name, weights.targets(i, layer, name), values);
    }
  }

  private void requireBuilt(String operation) {
    if (!isBuilt()) {
      throw new IllegalStateException(
          operation + ": the model is not built yet: call build(shape) or fit first");
    }
  }

  void checkTargets(String what, NDArray x, NDArray y) {
    TargetShapes.check(
        what,
        loss,
        outputShapeFor(x.shape().dropFirst()),
        y.shape().dropFirst(),
        "the model outputs",
        "Y");
  }

  /** The per-sample output shape for samples of {@code sampleShape}, from the built layers. */
  private Shape outputShapeFor(Shape sampleShape) {
    Shape s = sampleShape;
    for (Layer l : layers) {
      s = l.outputShape(s);
    }
    return s;
  }

  private static Scope scopeOf(Tape tape) {
    return tape.scope();
  }

  /** {@code a} as the one array of its side; null stays null, for the data checks to name. */
  private static List<NDArray> one(NDArray a) {
    return Collections.singletonList(a);
  }

  @Override
  Sequential self() {
    return this;
  }

  @Override
  String describe() {
    return "Sequential of " + layerChain();
  }

  /** Never built: its layers hold no weights yet and may move to another model. */
  @Override
  void beforeFree() {
    if (!isBuilt()) {
      layers.forEach(LayerOwnership::release);
    }
  }

  private String layerChain() {
    List<String> names = new ArrayList<>();
    for (Layer l : layers) {
      names.add(l.name());
    }
    return String.join(" -> ", names);
  }

  /** The fit loop's and evaluation's view of this model. */
  private final class Training extends TrainingView {

    @Override
    public List<String> valueNames() {
      return valueNames;
    }

    @Override
    public double report(int index, double mean) {
      return index == 0 ? mean : metrics.get(index - 1).result(mean);
    }

    @Override
    public void prepare(String what, List<NDArray> inputs, List<NDArray> targets) {
      DataChecks.pair(what, inputs.get(0), targets.get(0));
      build(inputs.get(0).shape().dropFirst());
      checkTargets(what, inputs.get(0), targets.get(0));
    }

    @Override
    public Variable[] lossAndMetrics(
        Tape tape, List<Variable> inputs, List<Variable> targets, ForwardPass pass) {
      Variable pred = forward(tape, inputs.get(0), pass);
      Variable target = targets.get(0);
      Variable[] values = new Variable[1 + metrics.size()];
      values[0] = loss.compute(tape, pred, target);
      for (int i = 0; i < metrics.size(); i++) {
        values[1 + i] = metrics.get(i).compute(tape, pred, target);
      }
      return values;
    }

    @Override
    public List<Variable> outputs(Tape tape, List<Variable> inputs, ForwardPass pass) {
      return List.of(forward(tape, inputs.get(0), pass));
    }

    @Override
    public Map<String, Double> evaluate(
        List<NDArray> inputs, List<NDArray> targets, int batchSize) {
      return Sequential.this.evaluate(inputs.get(0), targets.get(0), batchSize);
    }
  }
}
