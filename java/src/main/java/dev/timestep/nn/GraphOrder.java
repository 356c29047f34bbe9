package dev.timestep.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls between a functional model's inputs and outputs, in an order where each call comes
 * after every call whose output it reads (Keras' graph map), and the checks that the graph is a
 * model: every tensor the outputs depend on traces back to a listed input, every listed input leads
 * to an output, and no call depends on itself. Errors name the layer and the input or output.
 */
final class GraphOrder {
  private enum Mark {
    VISITING,
    DONE
  }

  private final List<Symbolic> inputs;
  private final Map<Symbolic.Call, Mark> marks = new IdentityHashMap<>();
  private final Set<Symbolic> reached = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Symbolic.Call> order = new ArrayList<>();

  private GraphOrder(List<Symbolic> inputs) {
    this.inputs = inputs;
  }

  /**
   * The calls the outputs depend on, each once, producers before consumers.
   *
   * @throws IllegalArgumentException for a graph that is not a model, naming where
   */
  static List<Symbolic.Call> of(List<Symbolic> inputs, List<Symbolic> outputs) {
    GraphOrder g = new GraphOrder(inputs);
    for (int i = 0; i < outputs.size(); i++) {
      g.visit(outputs.get(i), "output " + (i + 1));
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (!g.reached.contains(inputs.get(i))) {
        throw new IllegalArgumentException(
            "model input "
                + (i + 1)
                + " ("
                + inputs.get(i)
                + ") does not lead to any of the model's outputs; remove it from the inputs or use"
                + " it");
      }
    }
    return Collections.unmodifiableList(g.order);
  }

  /**
   * Orders everything {@code tensor} depends on; {@code consumer} says who needs it, for messages.
   */
  private void visit(Symbolic tensor, String consumer) {
    if (tensor.isInput()) {
      if (!containsSame(inputs, tensor)) {
        throw new IllegalArgumentException(
            "graph disconnected: "
                + consumer
                + " depends on "
                + tensor
                + ", which is not one of the model's inputs; list it in the inputs");
      }
      reached.add(tensor);
      return;
    }
    Symbolic.Call call = tensor.origin();
    Mark mark = marks.get(call);
    if (mark == Mark.DONE) {
      return;
    }
    if (mark == Mark.VISITING) {
      throw new IllegalArgumentException(
          "the graph has a cycle through "
              + call.layer().name()
              + ": a layer call depends on itself");
    }
    marks.put(call, Mark.VISITING);
    List<Symbolic> inbound = call.inbound();
    for (Symbolic in : inbound) {
      visit(in, call.layer().name());
    }
    marks.put(call, Mark.DONE);
    order.add(call);
  }

  static boolean containsSame(List<Symbolic> list, Symbolic s) {
    for (Symbolic x : list) {
      if (x == s) {
        return true;
      }
    }
    return false;
  }
}
