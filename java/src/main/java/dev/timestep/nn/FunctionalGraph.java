package dev.timestep.nn;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph of a functional {@link Model}: its inputs and outputs, the layer calls between them in
 * the order they run, the distinct layers, every tensor's sample shape once built, the graph's
 * description in {@link Model.Node}s and {@link Model.Connection}s (and back), and running it on a
 * batch. The model around it owns the weights and the training.
 */
final class FunctionalGraph {
  private final List<Symbolic> inputs;
  private final List<Symbolic> outputs;
  private final List<Symbolic.Call> calls;
  private final List<Layer> layers;
  private final Map<Symbolic, Shape> shapes = new IdentityHashMap<>();

  /** A model's symbolic inputs and outputs, rebuilt from a description. */
  record Ends(List<Symbolic> inputs, List<Symbolic> outputs) {}

  /**
   * Checks the graph from {@code inputs} to {@code outputs} and orders its calls.
   *
   * @throws IllegalArgumentException for a graph that is not a model, naming where
   */
  FunctionalGraph(List<Symbolic> inputs, List<Symbolic> outputs) {
    this.inputs = checkedList("inputs", inputs);
    this.outputs = checkedList("outputs", outputs);
    for (int i = 0; i < this.inputs.size(); i++) {
      Symbolic in = this.inputs.get(i);
      if (!in.isInput()) {
        throw new IllegalArgumentException(
            "model input "
                + (i + 1)
                + " is "
                + in
                + "; a model's inputs are Input.of(...) tensors (list the tensors it comes from"
                + " instead)");
      }
      if (GraphOrder.containsSame(this.inputs.subList(0, i), in)) {
        throw new IllegalArgumentException(
            "model input " + (i + 1) + " (" + in + ") is listed twice");
      }
    }
    this.calls = GraphOrder.of(this.inputs, this.outputs);
    List<Layer> distinct = new ArrayList<>();
    for (Symbolic.Call c : calls) {
      if (!containsLayer(distinct, c.layer())) {
        distinct.add(c.layer());
      }
    }
    this.layers = Collections.unmodifiableList(distinct);
  }

  /**
   * The symbolic inputs and outputs of a described graph: inputs of these shapes, then each node's
   * layer applied to what it reads.
   *
   * @throws IllegalArgumentException for a node naming a layer that does not exist, or reading a
   *     source that does not exist before it
   */
  static Ends rebuild(
      List<Shape> inputShapes,
      List<Layer> layers,
      List<Model.Node> nodes,
      List<Model.Connection> outputs) {
    List<List<Symbolic>> sources = new ArrayList<>();
    List<Symbolic> in = new ArrayList<>();
    for (Shape s : inputShapes) {
      Symbolic x = Input.of(s.dims());
      in.add(x);
      sources.add(List.of(x));
    }
    for (int k = 0; k < nodes.size(); k++) {
      Model.Node n = nodes.get(k);
      if (n.layer() < 0 || n.layer() >= layers.size()) {
        throw new IllegalArgumentException(
            "node " + (k + 1) + " names layer " + n.layer() + " of " + layers.size());
      }
      List<Symbolic> args = new ArrayList<>();
      for (Model.Connection c : n.inbound()) {
        args.add(resolve(sources, c, "node " + (k + 1)));
      }
      sources.add(layers.get(n.layer()).applyAll(args.toArray(new Symbolic[0])));
    }
    List<Symbolic> out = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      out.add(resolve(sources, outputs.get(i), "output " + (i + 1)));
    }
    return new Ends(in, out);
  }

  private static Symbolic resolve(List<List<Symbolic>> sources, Model.Connection c, String where) {
    if (c == null || c.source() < 0 || c.source() >= sources.size()) {
      throw new IllegalArgumentException(
          where
              + " reads "
              + (c == null ? "nothing" : "source " + c.source())
              + ", but only sources 0-"
              + (sources.size() - 1)
              + " exist before it (inputs first, then earlier nodes)");
    }
    List<Symbolic> s = sources.get(c.source());
    if (c.index() < 0 || c.index() >= s.size()) {
      throw new IllegalArgumentException(
          where
              + " reads output "
              + c.index()
              + " of source "
              + c.source()
              + ", which has "
              + s.size());
    }
    return s.get(c.index());
  }

  private static List<Symbolic> checkedList(String what, List<Symbolic> list) {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one of its " + what);
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new IllegalArgumentException("model " + what + ": entry " + (i + 1) + " is null");
      }
    }
    return List.copyOf(list);
  }

  private static boolean containsLayer(List<Layer> list, Layer layer) {
    for (Layer l : list) {
      if (l == layer) {
        return true;
      }
    }
    return false;
  }

  /**
   * Builds each layer at its first call, recording in {@code weights} what it declares, and works
   * out every tensor's sample shape.
   */
  void build(ParameterStore store, ModelWeights weights) {
    for (Symbolic in : inputs) {
      shapes.put(in, in.inputShape());
    }
    List<Layer> done = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      Symbolic.Call c = calls.get(i);
      List<Shape> in = new ArrayList<>();
      for (Symbolic s : c.inbound()) {
        in.add(shapes.get(s));
      }
      List<Shape> out;
      try {
        if (containsLayer(done, c.layer())) {
          out = LayerCall.outputShapes(c.layer(), in);
        } else {
          out = weights.record(() -> LayerCall.build(c.layer(), in, store));
          done.add(c.layer());
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IllegalArgumentException(
            "layer call "
                + (i + 1)
                + " ("
                + c.layer().name()
                + " applied to "
                + in
                + "): "
                + e.getMessage(),
            e);
      }
      if (out.size() != c.outputs().size()) {
        throw new IllegalArgumentException(
            "layer call "
                + (i + 1)
                + ": "
                + c.layer().name()
                + " gives "
                + out.size()
                + " tensors but gave "
                + c.outputs().size()
                + " when it was applied; set returnState before applying the layer");
      }
      for (int k = 0; k < out.size(); k++) {
        NDArray.requireHeapSize(c.layer().name() + " output per sample", out.get(k));
        shapes.put(c.outputs().get(k), out.get(k));
      }
    }
  }

  List<Symbolic> inputs() {
    return inputs;
  }

  List<Symbolic> outputs() {
    return outputs;
  }

  List<Layer> layers() {
    return layers;
  }

  List<Shape> inputShapes() {
    return inputs.stream().map(shapes::get).toList();
  }

  List<Shape> outputShapes() {
    return outputs.stream().map(shapes::get).toList();
  }

  /** The calls in the order they run, each naming its layer and what it reads. */
  List<Model.Node> nodes() {
    List<Model.Node> out = new ArrayList<>();
    for (Symbolic.Call c : calls) {
      List<Model.Connection> in = new ArrayList<>();
      for (Symbolic s : c.inbound()) {
        in.add(connection(s));
      }
      out.add(new Model.Node(layers.indexOf(c.layer()), in));
    }
    return out;
  }

  List<Model.Connection> outputConnections() {
    return outputs.stream().map(this::connection).toList();
  }

  private Model.Connection connection(Symbolic s) {
    if (s.isInput()) {
      return new Model.Connection(inputs.indexOf(s), 0);
    }
    return new Model.Connection(inputs.size() + calls.indexOf(s.origin()), s.index());
  }

  /**
   * Runs every call on a batch of each input; the k-th call gets the pass's seed for position k, as
   * a Sequential's k-th layer does.
   */
  List<Variable> run(Tape tape, List<Variable> batch, ForwardPass pass) {
    Map<Symbolic, Variable> values = new IdentityHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      values.put(inputs.get(i), batch.get(i));
    }
    for (int k = 0; k < calls.size(); k++) {
      Symbolic.Call c = calls.get(k);
      List<Variable> in = new ArrayList<>();
      for (Symbolic s : c.inbound()) {
        in.add(values.get(s));
      }
      List<Variable> out = LayerCall.forward(c.layer(), tape, in, pass.forLayer(k));
      for (int j = 0; j < out.size(); j++) {
        values.put(c.outputs().get(j), out.get(j));
      }
    }
    List<Variable> result = new ArrayList<>();
    for (Symbolic s : outputs) {
      result.add(values.get(s));
    }
    return result;
  }

  /** The layer calls in the order they run. */
  List<Symbolic.Call> calls() {
    return calls;
  }

  /** The sample shape of {@code tensor}, an input or a call's output of this graph. */
  Shape shape(Symbolic tensor) {
    return shapes.get(tensor);
  }

  /**
   * Checks one array per input, each of its input's sample shape, with one sample count; returns
   * the count.
   */
  int checkInputs(String what, List<NDArray> x) {
    if (x == null || x.size() != inputs.size()) {
      throw new IllegalArgumentException(
          what
              + ": the model has "
              + inputs.size()
              + " inputs but got "
              + (x == null ? "null" : x.size() + " arrays"));
    }
    for (int i = 0; i < x.size(); i++) {
      String name = inputs.size() == 1 ? what + " X" : what + " input " + (i + 1);
      DataChecks.inputs(name, x.get(i));
      Shape want = shapes.get(inputs.get(i));
      if (!x.get(i).shape().dropFirst().equals(want)) {
        throw new IllegalArgumentException(
            name
                + " has samples of shape "
                + x.get(i).shape().dropFirst()
                + " but the model's input "
                + (i + 1)
                + " is "
                + want);
      }
      if (x.get(i).dim(0) != x.get(0).dim(0)) {
        throw new IllegalArgumentException(
            what
                + ": input 1 has "
                + x.get(0).dim(0)
                + " samples but input "
                + (i + 1)
                + " has "
                + x.get(i).dim(0));
      }
    }
    return x.get(0).dim(0);
  }
}
