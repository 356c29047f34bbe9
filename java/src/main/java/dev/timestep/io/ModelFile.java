package dev.timestep.io;

import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Model;
import dev.timestep.nn.ModelLease;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.ArenaOptimizer;
import dev.timestep.optim.Optimizer;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Saves and loads {@link Sequential} and functional {@link Model} models: architecture (a
 * functional model's graph included), weights, non-trainable state (batch normalization's moving
 * averages), loss, metrics, the optimizer's full state (SGD, RMSprop, Adam, AdamW) and free-form
 * {@link ModelMetadata}, in the format of docs/MODEL-FORMAT.md. A loaded model predicts exactly
 * what the saved one did on the same backend, and continues training exactly as it would have.
 *
 * <pre>{@code
 * ModelFile.save(model, Path.of("co2.tsm"), ModelMetadata.builder().put("scaler.mean", 352.1).build());
 * try (SavedModel saved = ModelFile.load(Path.of("co2.tsm"))) {
 *   NDArray forecast = saved.model().predict(x);
 *   double mean = saved.metadata().numbers("scaler.mean").orElseThrow()[0];
 * }
 * }</pre>
 *
 * <p>Saving is atomic: the file is written beside the target, forced to disk and renamed over it,
 * so an interrupted save leaves the previous file intact. Models with a user-written {@code Cell},
 * a custom loss or metric, or an optimizer other than the built-in ones cannot be saved.
 */
public final class ModelFile {
  /** The file format version this build writes and reads. */
  public static final int FORMAT_VERSION = ModelContainer.VERSION;

  // Sorted maps, so messages that list the known names read the same on every run.
  private static final Map<String, Supplier<Metric>> METRICS =
      new TreeMap<>(
          Map.of(
              "mse",
              Metric::mse,
              "last_time_step_mse",
              Metric::lastTimeStepMse,
              "mae",
              Metric::mae,
              "rmse",
              Metric::rmse,
              "mape",
              Metric::mape));

  private ModelFile() {}

  /** Saves a built model with no metadata. */
  public static void save(Sequential model, Path file) throws IOException {
    save(model, file, ModelMetadata.EMPTY);
  }

  /**
   * Saves a built model and {@code metadata} to {@code file}, atomically replacing any file there.
   *
   * @throws IllegalArgumentException for a null argument, or a model this format cannot hold (the
   *     message says which part); the file is then not touched
   * @throws IllegalStateException for a model that is closed or not built yet
   * @throws IOException when writing fails; the previous file, if any, is left as it was
   */
  public static void save(Sequential model, Path file, ModelMetadata metadata) throws IOException {
    save(model, file, metadata, UnaryOperator.identity());
  }

  /**
   * As {@link #save(Sequential, Path, ModelMetadata)}, writing through {@code decorate} (tests
   * inject failures).
   */
  static void save(
      Sequential model, Path file, ModelMetadata metadata, UnaryOperator<OutputStream> decorate)
      throws IOException {
    if (model == null || file == null || metadata == null) {
      throw new IllegalArgumentException(
          "save needs a model, a file and metadata (ModelMetadata.EMPTY for none), got "
              + (model == null ? "model null" : file == null ? "file null" : "metadata null"));
    }
    if (model.isClosed()) {
      throw new IllegalStateException("save: the model was closed; its parameters are freed");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException(
          "save: the model is not built yet, so it has no weights; train it or call "
              + "build(sampleShape) first");
    }
    List<float[]> values = new ArrayList<>();
    ModelHeader header;
    // Held while reading: close waits, and fit (another thread's) is refused, so the weights and
    // the
    // optimizer state in the file come from one step.
    try (ModelLease held = model.lease("save")) {
      header = snapshot(model, metadata, values);
    }
    byte[] json = HeaderJson.write(header);
    AtomicFiles.write(file, out -> ModelContainer.write(out, json, values), decorate);
  }

  /** Saves a built functional model with no metadata. */
  public static void saveFunctional(Model model, Path file) throws IOException {
    saveFunctional(model, file, ModelMetadata.EMPTY);
  }

  /**
   * Saves a built functional model, its graph included, and {@code metadata} to {@code file},
   * atomically, as {@link #save(Sequential, Path, ModelMetadata)}; read it back with {@link
   * #loadFunctional}.
   */
  public static void saveFunctional(Model model, Path file, ModelMetadata metadata)
      throws IOException {
    if (model == null || file == null || metadata == null) {
      throw new IllegalArgumentException(
          "save needs a model, a file and metadata (ModelMetadata.EMPTY for none), got "
              + (model == null ? "model null" : file == null ? "file null" : "metadata null"));
    }
    if (model.isClosed()) {
      throw new IllegalStateException("save: the model was closed; its parameters are freed");
    }
    List<float[]> values = new ArrayList<>();
    ModelHeader header;
    try (ModelLease held = model.lease("save")) {
      model.build(); // a functional model knows its shapes from the start
      ModelHeader.Graph graph =
          new ModelHeader.Graph(
              model.inputShapes(), model.nodes(), model.outputConnections(), model.lossWeights());
      header =
          snapshot(
              model.layers(),
              model.parameters(),
              model.loss(),
              model.metrics(),
              model.optimizer(),
              model.seed(),
              null,
              graph,
              metadata,
              values);
    }
    byte[] json = HeaderJson.write(header);
    AtomicFiles.write(
        file, out -> ModelContainer.write(out, json, values), UnaryOperator.identity());
  }

  /**
   * Loads a functional model ({@link #saveFunctional(Model, Path)}) onto {@link Backends#auto()}.
   */
  public static SavedFunctional loadFunctional(Path file) throws IOException {
    return loadFunctional(file, Backends.auto());
  }

  /**
   * Loads a functional model onto {@code backend}; the caller closes the result. Refuses, as {@link
   * #load(Path, Backend)} does, and also a file holding a Sequential (load that with {@link
   * #load}).
   */
  public static SavedFunctional loadFunctional(Path file, Backend backend) throws IOException {
    Read read = readHeader(file, backend);
    if (read.header().graph() == null) {
      throw new ModelFileException(
          "model file " + file + " holds a Sequential model; load it with ModelFile.load");
    }
    try {
      return rebuildFunctional(read.header(), read.contents(), backend);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ModelFileException(
          "model file " + file + " describes a model this build cannot rebuild: " + e.getMessage(),
          e);
    }
  }

  /** A file's checked header with its contents. */
  private record Read(ModelHeader header, ModelContainer.Contents contents) {}

  private static Read readHeader(Path file, Backend backend) throws IOException {
    if (file == null || backend == null) {
      throw new IllegalArgumentException(
          "load needs a file and a backend, got " + (file == null ? "file null" : "backend null"));
    }
    ModelContainer.Contents contents = ModelContainer.read(file);
    ModelHeader header;
    try {
      header = HeaderJson.read(contents.header());
      long total = header.tensors().stream().mapToLong(TensorEntry::length).sum();
      if (total != contents.payload().capacity()) {
        throw new IllegalArgumentException(
            "its tensor table covers "
                + total
                + " bytes but the payload has "
                + contents.payload().capacity());
      }
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(
          "model file " + file + " has an invalid header: " + e.getMessage(), e);
    }
    return new Read(header, contents);
  }

  /** Loads a model onto {@link Backends#auto()}. */
  public static SavedModel load(Path file) throws IOException {
    return load(file, Backends.auto());
  }

  /**
   * Loads a model onto {@code backend}. The caller closes the result (or its model).
   *
   * @throws ModelFileException when the file is not a model file, is truncated, corrupted or of
   *     another format version, or describes a model this build cannot rebuild
   * @throws IOException when the file cannot be read (e.g. it does not exist)
   */
  public static SavedModel load(Path file, Backend backend) throws IOException {
    Read read = readHeader(file, backend);
    if (read.header().graph() != null) {
      throw new ModelFileException(
          "model file "
              + file
              + " holds a functional Model; load it with ModelFile.loadFunctional");
    }
    try {
      return rebuild(read.header(), read.contents(), backend);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ModelFileException(
          "model file " + file + " describes a model this build cannot rebuild: " + e.getMessage(),
          e);
    }
  }

  /** Checks that the model can be saved and collects its header and tensor values. */
  private static ModelHeader snapshot(
      Sequential model, ModelMetadata metadata, List<float[]> values) {
    return snapshot(
        model.layers(),
        model.parameters(),
        model.loss(),
        model.metrics(),
        model.optimizer(),
        model.seed(),
        model.inputShape(),
        null,
        metadata,
        values);
  }

  /**
   * The header of a model of these parts (a Sequential's input shape, or a functional model's
   * graph) and, into {@code values}, its tensors; refuses parts a file cannot hold.
   */
  private static ModelHeader snapshot(
      List<Layer> modelLayers,
      ParameterStore store,
      Loss modelLoss,
      List<Metric> modelMetrics,
      Optimizer optimizer,
      long seed,
      Shape inputShape,
      ModelHeader.Graph graph,
      ModelMetadata metadata,
      List<float[]> values) {
    List<LayerConfig> layers = new ArrayList<>();
    for (int i = 0; i < modelLayers.size(); i++) {
      try {
        layers.add(LayerConfig.of(modelLayers.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("save: layer " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    LossConfig loss = modelLoss == null ? null : LossCodecs.describe(modelLoss);
    List<String> metrics = new ArrayList<>();
    for (Metric m : modelMetrics) {
      // The built-in instance itself: a metric of your own may carry a built-in's name.
      if (!METRICS.containsKey(m.name()) || METRICS.get(m.name()).get() != m) {
        throw new IllegalArgumentException(
            "save: cannot save the metric '"
                + m.name()
                + "': model files name "
                + "metrics, and only the built-in ones "
                + METRICS.keySet()
                + " can be rebuilt from a name; compile "
                + "without it before saving");
      }
      metrics.add(m.name());
    }
    Backend backend = store.backend();
    List<TensorEntry> tensors = new ArrayList<>();
    for (Parameter p : store.parameters()) {
      add(tensors, values, p.name(), TensorEntry.PARAMETER, backend.download(p.value()));
    }
    for (int i = 0; i < store.stateCount(); i++) {
      add(tensors, values, store.stateName(i), TensorEntry.STATE, backend.download(store.state(i)));
    }
    ModelHeader.OptimizerConfig optimizerConfig = null;
    if (optimizer != null) {
      optimizerConfig = OptimizerCodecs.describe(optimizer);
      ArenaOptimizer<?> o = (ArenaOptimizer<?>) optimizer;
      if (o.iterations() > 0) {
        for (String slot : o.slotNames()) {
          String name = OptimizerCodecs.tensorName(optimizerConfig.type(), slot);
          add(tensors, values, name, TensorEntry.OPTIMIZER, o.slot(slot));
        }
      }
    }
    return new ModelHeader(
        inputShape, seed, layers, loss, metrics, optimizerConfig, metadata, tensors, graph);
  }

  private static void add(
      List<TensorEntry> tensors, List<float[]> values, String name, String role, NDArray a) {
    long offset =
        tensors.isEmpty()
            ? 0
            : tensors.get(tensors.size() - 1).offset() + tensors.get(tensors.size() - 1).length();
    tensors.add(new TensorEntry(name, role, a.shape(), offset, 4L * a.size()));
    values.add(a.data());
  }

  private static SavedModel rebuild(
      ModelHeader header, ModelContainer.Contents contents, Backend backend) {
    List<Layer> layers = newLayers(header);
    Sequential model =
        new Sequential(layers.toArray(new Layer[0])).seed(header.seed()).backend(backend);
    ArenaOptimizer<?>[] optimizer = new ArenaOptimizer<?>[1];
    boolean done = false;
    try {
      model.build(header.inputShape());
      requireArraySizedOutputs(model, header.inputShape());
      Compiled compiled = restore(header, contents, backend, model.parameters(), optimizer);
      if (compiled != null) {
        model.compile(compiled.loss(), optimizer[0], compiled.metrics());
      }
      done = true;
      return new SavedModel(model, header.metadata());
    } finally {
      if (!done) {
        model.close();
        if (optimizer[0] != null) {
          optimizer[0].close();
        }
      }
    }
  }

  private static SavedFunctional rebuildFunctional(
      ModelHeader header, ModelContainer.Contents contents, Backend backend) {
    ModelHeader.Graph graph = header.graph();
    Model model =
        Model.fromGraph(graph.inputs(), newLayers(header), graph.nodes(), graph.outputs())
            .seed(header.seed())
            .backend(backend);
    ArenaOptimizer<?>[] optimizer = new ArenaOptimizer<?>[1];
    boolean done = false;
    try {
      model.build();
      Compiled compiled = restore(header, contents, backend, model.parameters(), optimizer);
      if (compiled != null) {
        model.compile(compiled.loss(), graph.lossWeights(), optimizer[0], compiled.metrics());
      }
      done = true;
      return new SavedFunctional(model, header.metadata());
    } finally {
      if (!done) {
        model.close();
        if (optimizer[0] != null) {
          optimizer[0].close();
        }
      }
    }
  }

  private static List<Layer> newLayers(ModelHeader header) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < header.layers().size(); i++) {
      try {
        layers.add(header.layers().get(i).newLayer());
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalArgumentException("layer " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return layers;
  }

  /** The loss and metrics a compiled model is compiled with again. */
  private record Compiled(Loss loss, Metric[] metrics) {}

  /**
   * Uploads the file's parameters and state into the built model's store and, for a compiled model,
   * makes its optimizer (into {@code optimizer[0]}, restored) and returns its loss and metrics;
   * null for a model saved before compile.
   */
  private static Compiled restore(
      ModelHeader header,
      ModelContainer.Contents contents,
      Backend backend,
      ParameterStore store,
      ArenaOptimizer<?>[] optimizer) {
    List<TensorEntry> parameters = byRole(header, TensorEntry.PARAMETER);
    List<TensorEntry> states = byRole(header, TensorEntry.STATE);
    List<TensorEntry> optimizerTensors = byRole(header, TensorEntry.OPTIMIZER);
    requireCount("parameter", parameters.size(), store.parameters().size());
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = store.get(i);
      upload(backend, contents, parameters.get(i), "parameter " + (i + 1), p.name(), p.value());
    }
    requireCount("state", states.size(), store.stateCount());
    for (int i = 0; i < states.size(); i++) {
      upload(
          backend,
          contents,
          states.get(i),
          "state tensor " + (i + 1),
          store.stateName(i),
          store.state(i));
    }
    if (header.loss() == null) {
      requireCount("optimizer", optimizerTensors.size(), 0);
      return null;
    }
    Loss loss = LossCodecs.rebuild(header.loss());
    List<Metric> metrics = new ArrayList<>();
    for (String name : header.metrics()) {
      metrics.add(byName(METRICS, name, "metric"));
    }
    ModelHeader.OptimizerConfig config = header.optimizer();
    optimizer[0] = OptimizerCodecs.create(config);
    if (config.iterations() == 0) {
      requireCount("optimizer", optimizerTensors.size(), 0);
    } else {
      List<String> slots = optimizer[0].slotNames();
      requireCount("optimizer", optimizerTensors.size(), slots.size());
      Shape arena = store.values().shape();
      Map<String, NDArray> slotValues = new HashMap<>();
      for (int i = 0; i < slots.size(); i++) {
        String name = OptimizerCodecs.tensorName(config.type(), slots.get(i));
        slotValues.put(slots.get(i), slot(contents, optimizerTensors.get(i), name, arena));
      }
      optimizer[0].restore(store, config.iterations(), slotValues);
    }
    return new Compiled(loss, metrics.toArray(new Metric[0]));
  }

  private static List<TensorEntry> byRole(ModelHeader header, String role) {
    return header.tensors().stream().filter(t -> t.role().equals(role)).toList();
  }

  private static void requireCount(String role, int inFile, int declared) {
    if (inFile != declared) {
      throw new IllegalArgumentException(
          "the file has "
              + inFile
              + " "
              + role
              + " tensors but the model it describes "
              + "needs "
              + declared);
    }
  }

  private static void upload(
      Backend backend,
      ModelContainer.Contents contents,
      TensorEntry e,
      String what,
      String declaredName,
      Tensor target) {
    if (!sameParameter(e.name(), declaredName) || !e.shape().equals(target.shape())) {
      throw new IllegalArgumentException(
          what
              + " is "
              + e.name()
              + " "
              + e.shape()
              + " in the file but the model "
              + "it describes declares "
              + declaredName
              + " "
              + target.shape());
    }
    backend.upload(
        new NDArray(e.shape(), finiteValues(contents, e, what + " (" + e.name() + ")")), target);
  }

  /**
   * Whether a tensor stored as {@code stored} is the parameter declared as {@code declared}. Files
   * written before the GRU's recurrent bias and the LN cell's γβ had their own names call either
   * "{layer}/extra"; the layer's kind makes that unambiguous.
   */
  private static boolean sameParameter(String stored, String declared) {
    if (stored.equals(declared)) {
      return true;
    }
    int slash = declared.lastIndexOf('/');
    String own = declared.substring(slash + 1);
    return (own.equals("recurrent_bias") || own.equals("layer_norm"))
        && stored.equals(declared.substring(0, slash + 1) + "extra");
  }

  /**
   * The values of a tensor of the file, refused when one is NaN or infinite: a checksum says the
   * bytes arrived as written, not that they make a working model (such weights forecast NaN).
   */
  private static float[] finiteValues(
      ModelContainer.Contents contents, TensorEntry e, String what) {
    float[] values = contents.floats(e);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            what
                + " holds "
                + values[i]
                + " at index "
                + i
                + "; a model file's values"
                + " must be finite (it was saved from a diverged model, or edited)");
      }
    }
    return values;
  }

  /**
   * Refuses layer sizes whose output for one sample is more values than an array holds (a
   * RepeatVector of 2^31 - 1 steps): such a model loads but fails with an OutOfMemoryError at its
   * first prediction.
   */
  private static void requireArraySizedOutputs(Sequential model, Shape sample) {
    Shape s = sample;
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      s = layers.get(i).outputShape(s);
      NDArray.requireHeapSize(
          "layer " + (i + 1) + " (" + layers.get(i).name() + ") output per sample", s);
    }
  }

  private static NDArray slot(
      ModelContainer.Contents contents, TensorEntry e, String name, Shape arena) {
    if (!e.name().equals(name) || !e.shape().equals(arena)) {
      throw new IllegalArgumentException(
          "optimizer tensor "
              + e.name()
              + " "
              + e.shape()
              + " should be "
              + name
              + " "
              + arena
              + " (aligned with the parameter arena)");
    }
    return new NDArray(e.shape(), finiteValues(contents, e, "optimizer tensor " + e.name()));
  }

  private static <T> T byName(Map<String, Supplier<T>> known, String name, String what) {
    Supplier<T> s = known.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown " + what + " '" + name + "'; this build knows " + known.keySet());
    }
    return s.get();
  }
}
