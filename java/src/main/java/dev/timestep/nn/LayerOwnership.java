package dev.timestep.nn;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which layers already belong to a model. A layer keeps the indices of its weights in the store it
 * was built with, so one instance in two places (twice in a model, or in two models) would silently
 * read or overwrite another model's weights; {@link #claim} refuses that. Weak keys: a layer is
 * forgotten when it is no longer reachable.
 */
final class LayerOwnership {
  private static final Map<Layer, Boolean> OWNED = Collections.synchronizedMap(new WeakHashMap<>());

  private LayerOwnership() {}

  /** Marks {@code layer} as owned, or throws if some model already owns it. */
  static void claim(Layer layer) {
    if (OWNED.putIfAbsent(layer, Boolean.TRUE) != null) {
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
}
