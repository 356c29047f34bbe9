package dev.timestep.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of {@link Model#summary}, laid out as Keras' summary of a functional model: a row per
 * input ({@code input_layer (InputLayer)}) and per layer (a shared layer once), with the output
 * shape (a list for a call that gives several tensors; {@code multiple} for a layer whose calls
 * give different shapes), the parameter count and the "Connected to" column, Keras' {@code
 * name[call][tensor]} of every tensor each call of the layer reads, one per line; then the total,
 * trainable and non-trainable counts. The counts come from the layers' declarations, so the summary
 * does not allocate the weights.
 */
final class GraphSummary {
  private static final String[] HEADER = {
    "Layer (type)", "Output Shape", "Param #", "Connected to"
  };
  private static final int[] MIN_WIDTHS = {30, 20, 10, 20};
  private static final boolean[] RIGHT_ALIGNED = {false, false, true, false};

  private GraphSummary() {}

  /** The summary of {@code graph}, whose layers are named {@code names}. */
  static String of(FunctionalGraph graph, List<String> names, ModelWeights weights) {
    Map<Symbolic, String> sources = sourceNames(graph, names);
    SummaryTable table = new SummaryTable(HEADER, MIN_WIDTHS, RIGHT_ALIGNED);
    for (int i = 0; i < graph.inputs().size(); i++) {
      Symbolic in = graph.inputs().get(i);
      table.row(inputName(i) + " (InputLayer)", ModelSummary.batchShape(graph.shape(in)), "0", "-");
    }
    long trainable = 0;
    long nonTrainable = 0;
    List<Layer> layers = graph.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      long[] counts = weights.counts(i);
      trainable += counts[0];
      nonTrainable += counts[1];
      List<String> shapes = new ArrayList<>();
      List<String> connected = new ArrayList<>();
      for (Symbolic.Call c : graph.calls()) {
        if (c.layer() == l) {
          shapes.add(outputShapes(graph, c));
          c.inbound().forEach(s -> connected.add(sources.get(s)));
        }
      }
      table.row(
          ModelSummary.label(names.get(i), l),
          shapes.stream().distinct().count() == 1 ? shapes.get(0) : "multiple",
          ModelSummary.count(counts[0] + counts[1]),
          String.join("\n", connected));
    }
    StringBuilder sb = table.render("functional");
    ModelSummary.totals(sb, trainable, nonTrainable);
    return sb.toString();
  }

  /** Keras' input names: {@code input_layer}, {@code input_layer_1}, ... */
  private static String inputName(int index) {
    return index == 0 ? "input_layer" : "input_layer_" + index;
  }

  /** {@code (None, 20)}, or {@code [(None, 50, 20), (None, 20), (None, 20)]} for several. */
  private static String outputShapes(FunctionalGraph graph, Symbolic.Call call) {
    List<String> out = new ArrayList<>();
    for (Symbolic s : call.outputs()) {
      out.add(ModelSummary.batchShape(graph.shape(s)));
    }
    return out.size() == 1 ? out.get(0) : "[" + String.join(", ", out) + "]";
  }

  /**
   * Every tensor as Keras names it in "Connected to": the producing layer's name, which of its
   * calls gave it (counted from 0 per layer), and which of that call's tensors it is.
   */
  private static Map<Symbolic, String> sourceNames(FunctionalGraph graph, List<String> names) {
    Map<Symbolic, String> out = new IdentityHashMap<>();
    for (int i = 0; i < graph.inputs().size(); i++) {
      out.put(graph.inputs().get(i), inputName(i) + "[0][0]");
    }
    Map<Layer, Integer> callsSoFar = new IdentityHashMap<>();
    for (Symbolic.Call c : graph.calls()) {
      int node = callsSoFar.merge(c.layer(), 1, Integer::sum) - 1;
      String name = names.get(ModelWeights.indexOf(graph.layers(), c.layer()));
      for (int k = 0; k < c.outputs().size(); k++) {
        out.put(c.outputs().get(k), name + "[" + node + "][" + k + "]");
      }
    }
    return out;
  }
}
