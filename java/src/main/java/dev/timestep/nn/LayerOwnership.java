package dev.timestep.nn;

import dev.timestep.tensor.NDArray;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which layers already belong to a model ({@link Sequential} or functional {@link Model}), and
 * which model answers a layer's own {@code getWeights}/{@code setWeights}. A layer keeps the
 * indices of its weights in the store it was built with, so one instance in two places (twice in a
 * model, or in two models) would silently read or overwrite another model's weights; {@link #claim}
 * refuses that. Weak keys: a layer is forgotten when it is no longer reachable. The owner is held
 * weakly too, as the model holds its layers: a strong value would keep both alive for ever.
 */
final class LayerOwnership {
  private static final Map<Layer, WeakReference<TrainableModel>> OWNED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private LayerOwnership() {}

  /**
   * Marks {@code layer} as owned by {@code owner} (whose weight calls the layer's own {@code
   * getWeights}/{@code setWeights} go through), or throws if some model already owns it.
   */
  static void claim(Layer layer, TrainableModel owner) {
    if (OWNED.putIfAbsent(layer, new WeakReference<>(owner)) != null) {
      throw new IllegalArgumentException(
          "layer "
              + layer.name()
              + " already belongs to a model (this one or"
              + " another); a layer instance holds its own weights, so create a new instance for each place");
    }
  }

  /** Forgets that {@code layer} belongs to a model (its model closed before building it). */
  static void release(Layer layer) {
    OWNED.remove(layer);
  }

  /** {@link Layer#getWeights}: asks the model that owns {@code layer}. */
  static List<NDArray> getWeights(Layer layer) {
    TrainableModel owner = owner(layer, "getWeights");
    return owner instanceof Model m ? m.getWeights(layer) : ((Sequential) owner).getWeights(layer);
  }

  /** {@link Layer#setWeights}: asks the model that owns {@code layer}. */
  static void setWeights(Layer layer, List<NDArray> values) {
    TrainableModel owner = owner(layer, "setWeights");
    if (owner instanceof Model m) {
      m.setWeights(layer, values);
    } else {
      ((Sequential) owner).setWeights(layer, values);
    }
  }

  /**
   * The model {@code layer} belongs to, for the layer's {@code operation}.
   *
   * @throws IllegalStateException when it belongs to none
   */
  private static TrainableModel owner(Layer layer, String operation) {
    WeakReference<TrainableModel> ref = OWNED.get(layer);
    TrainableModel owner = ref == null ? null : ref.get();
    if (owner == null) {
      throw new IllegalStateException(
          operation
              + ": layer "
              + layer.name()
              + " is not part of a Sequential model or a functional Model; its weights exist once a"
              + " model holding it is built (a layer wrapped in TimeDistributed or Bidirectional"
              + " answers through the wrapper)");
    }
    return owner;
  }
}
