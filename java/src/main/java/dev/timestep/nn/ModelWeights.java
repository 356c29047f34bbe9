package dev.timestep.nn;

import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A model's weights as Keras shows them: which arrays of the parameter store each layer declared
 * (recorded while the layers build), each layer's Keras view of them ({@link Layer#kerasWeights}),
 * and the copies in and out. The caller holds the model's usage guard.
 */
final class ModelWeights {
  /** The store's parameters [paramFrom, paramTo) and state [stateFrom, stateTo) of one layer. */
  private record Declared(int paramFrom, int paramTo, int stateFrom, int stateTo) {}

  /** One array to write, with the label that names it in messages ("lstm_1 recurrent_kernel"). */
  record Target(String label, WeightArray array) {}

  private final ParameterStore store;
  private List<Declared> declared = List.of();

  ModelWeights(ParameterStore store) {
    this.store = store;
  }

  /**
   * Builds {@code layers} for samples of {@code sampleShape}, recording what each declares; returns
   * the last layer's per-sample output shape.
   */
  Shape build(List<Layer> layers, Shape sampleShape) {
    List<Declared> ranges = new ArrayList<>(layers.size());
    Shape s = sampleShape;
    for (Layer l : layers) {
      int params = store.declaredCount();
      int states = store.stateCount();
      s = l.build(s, store);
      ranges.add(new Declared(params, store.declaredCount(), states, store.stateCount()));
    }
    declared = List.copyOf(ranges);
    return s;
  }

  /**
   * Runs {@code build}, which builds the model's next layer (a functional model builds its layers
   * one by one, at their first calls), records what that layer declared, and returns what {@code
   * build} returned.
   */
  <T> T record(Supplier<T> build) {
    int params = store.declaredCount();
    int states = store.stateCount();
    T out = build.get();
    List<Declared> more = new ArrayList<>(declared);
    more.add(new Declared(params, store.declaredCount(), states, store.stateCount()));
    declared = List.copyOf(more);
    return out;
  }

  /**
   * Layer {@code index}'s arrays in Keras' order and layouts; the store must be allocated.
   *
   * @throws IllegalStateException when the layer's Keras view does not cover exactly the values it
   *     declared (a layer written wrongly)
   */
  List<WeightArray> arrays(int index, Layer layer) {
    Declared d = declared.get(index);
    List<WeightArray> own = new ArrayList<>();
    long values = 0;
    for (int p = d.paramFrom(); p < d.paramTo(); p++) {
      Parameter param = store.get(p);
      own.add(WeightArray.of(shortName(param.name()), param.value(), true));
      values += param.value().size();
    }
    for (int k = d.stateFrom(); k < d.stateTo(); k++) {
      own.add(WeightArray.of(shortName(store.stateName(k)), store.state(k), false));
      values += store.state(k).size();
    }
    List<WeightArray> keras = layer.kerasWeights(List.copyOf(own));
    long shown = 0;
    boolean nulls = keras == null;
    for (WeightArray w : nulls ? List.<WeightArray>of() : keras) {
      nulls |= w == null;
      shown += w == null ? 0 : w.size();
    }
    if (nulls || shown != values) {
      throw new IllegalStateException(
          "layer "
              + layer.name()
              + ": kerasWeights must return every value the layer declared ("
              + values
              + ") once, got "
              + (nulls ? "null" : shown + " values"));
    }
    return List.copyOf(keras);
  }

  /**
   * How many trainable and non-trainable values layer {@code index} declared, from the declarations
   * alone (so also before the store is allocated).
   */
  long[] counts(int index) {
    Declared d = declared.get(index);
    long trainable = 0;
    long nonTrainable = 0;
    for (int p = d.paramFrom(); p < d.paramTo(); p++) {
      trainable += store.declaredShape(p).size();
    }
    for (int k = d.stateFrom(); k < d.stateTo(); k++) {
      nonTrainable += store.stateShape(k).size();
    }
    return new long[] {trainable, nonTrainable};
  }

  /** Every layer's arrays, first layer first. */
  List<WeightArray> arrays(List<Layer> layers) {
    List<WeightArray> all = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      all.addAll(arrays(i, layers.get(i)));
    }
    return all;
  }

  /** Every layer's arrays as targets named after their layers ({@code names}, in order). */
  List<Target> targets(List<Layer> layers, List<String> names) {
    List<Target> all = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      all.addAll(targets(i, layers.get(i), names.get(i)));
    }
    return all;
  }

  /** Layer {@code index}'s arrays as targets labelled "{@code name} array". */
  List<Target> targets(int index, Layer layer, String name) {
    List<Target> out = new ArrayList<>();
    for (WeightArray w : arrays(index, layer)) {
      out.add(new Target(name + " " + w.name(), w));
    }
    return out;
  }

  /** Where {@code layer} (this very instance) is in {@code layers}. */
  static int indexOf(List<Layer> layers, Layer layer) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == layer) {
        return i;
      }
    }
    throw new IllegalStateException(layer.name() + " is not a layer of this model");
  }

  /** The values of {@code arrays} as new heap arrays of their Keras shapes. */
  static List<NDArray> read(Backend backend, List<WeightArray> arrays) {
    List<NDArray> out = new ArrayList<>(arrays.size());
    for (WeightArray w : arrays) {
      float[] values = new float[Math.toIntExact(w.size())];
      int at = 0;
      for (Tensor part : w.parts()) {
        float[] v = backend.download(part).data();
        System.arraycopy(v, 0, values, at, v.length);
        at += v.length;
      }
      out.add(new NDArray(w.shape(), values));
    }
    return out;
  }

  /**
   * Checks {@code values} against {@code targets} (count, then each array: present, Keras shape,
   * finite), and only when all pass, copies them into the model's memory.
   *
   * @param owner what the targets belong to, for messages ("the model", "layer lstm_1")
   * @throws IllegalArgumentException naming the first array that does not fit; nothing is changed
   */
  static void write(Backend backend, String owner, List<Target> targets, List<NDArray> values) {
    if (values == null) {
      throw new IllegalArgumentException("setWeights: the list of weights must not be null");
    }
    if (values.size() != targets.size()) {
      throw new IllegalArgumentException(
          "setWeights: "
              + owner
              + " has "
              + targets.size()
              + " weight arrays ("
              + labels(targets)
              + ") but got "
              + values.size()
              + "; nothing was changed");
    }
    for (int i = 0; i < targets.size(); i++) {
      check(targets.get(i), values.get(i), i);
    }
    for (int i = 0; i < targets.size(); i++) {
      float[] data = values.get(i).data();
      int at = 0;
      for (Tensor part : targets.get(i).array().parts()) {
        int n = Math.toIntExact(part.size());
        float[] slice = at == 0 && n == data.length ? data : copy(data, at, n);
        backend.upload(new NDArray(part.shape(), slice), part);
        at += n;
      }
    }
  }

  private static void check(Target t, NDArray value, int position) {
    if (value == null) {
      throw new IllegalArgumentException(
          "setWeights: array " + position + " (" + t.label() + ") is null; nothing was changed");
    }
    if (!value.shape().equals(t.array().shape())) {
      throw new IllegalArgumentException(
          "setWeights: "
              + t.label()
              + " must have shape "
              + t.array().shape()
              + " (Keras layout) but got "
              + value.shape()
              + " (array "
              + position
              + "); nothing was changed");
    }
    float[] data = value.data();
    for (int j = 0; j < data.length; j++) {
      if (!Float.isFinite(data[j])) {
        throw new IllegalArgumentException(
            "setWeights: "
                + t.label()
                + " holds "
                + data[j]
                + " at flat index "
                + j
                + "; weights must be finite; nothing was changed");
      }
    }
  }

  private static float[] copy(float[] data, int from, int n) {
    float[] out = new float[n];
    System.arraycopy(data, from, out, 0, n);
    return out;
  }

  private static String labels(List<Target> targets) {
    if (targets.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>(targets.size());
    for (Target t : targets) {
      out.add(t.label());
    }
    return String.join(", ", out);
  }

  /** {@code lstm/recurrent_kernel} → {@code recurrent_kernel}. */
  private static String shortName(String declaredName) {
    return declaredName.substring(declaredName.lastIndexOf('/') + 1);
  }
}
