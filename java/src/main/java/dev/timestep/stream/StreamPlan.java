package dev.timestep.stream;

import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Layer;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.RecurrentLayer;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import java.util.ArrayList;
import java.util.List;

/**
 * Which way a model can stream. Incrementally when every layer up to the first recurrent layer that
 * drops the time axis either carries a state from step to step (a recurrent layer, or a causal or
 * 'valid' Conv1D with its queue of past inputs, strided ones by phase) or works on each step alone
 * (Dense, TimeDistributed, Dropout, the normalizations, a Conv1D of kernel 1); layers after that
 * point see one vector per sample and may be anything. Otherwise the model needs the whole window,
 * and the reason says which layer (a 'same' Conv1D, Flatten, Bidirectional, ...).
 *
 * @param carrying the layers that carry states, in order
 * @param keepsTime whether the output keeps the time axis (its last step is the forecast)
 */
record StreamPlan(StreamMode mode, String reason, List<Integer> carrying, boolean keepsTime) {

  static StreamPlan of(Sequential model) {
    List<Layer> layers = model.layers();
    List<Integer> carrying = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer instanceof RecurrentLayer r) {
        if (r.isStateful()) {
          throw new IllegalArgumentException(
              "StreamingForecaster: layer "
                  + i
                  + " ("
                  + r.name()
                  + ") is stateful, so it would also carry its states from one stream to the"
                  + " next; build the model with stateful(false): each stream carries its own");
        }
        carrying.add(i);
        if (!r.returnsSequences()) {
          return new StreamPlan(StreamMode.INCREMENTAL, "", List.copyOf(carrying), false);
        }
      } else if (layer instanceof Conv1D c
          && ((c.strides() == 1 && c.kernelSize() > 1 && c.padding() == ConvPadding.CAUSAL)
              || PhasedConv.applies(c))) {
        carrying.add(i);
      } else if (!perStep(layer)) {
        return window(
            "layer "
                + i
                + " ("
                + layer.getClass().getSimpleName()
                + ") needs the whole window, so every point runs the model over the window");
      }
    }
    return new StreamPlan(StreamMode.INCREMENTAL, "", List.copyOf(carrying), true);
  }

  private static StreamPlan window(String reason) {
    return new StreamPlan(StreamMode.FULL_WINDOW, reason, List.of(), false);
  }

  /** Layers whose output at step t depends on step t of their input alone. */
  private static boolean perStep(Layer layer) {
    return layer instanceof Dense
        || layer instanceof TimeDistributed
        || layer instanceof Dropout
        || layer instanceof LayerNormalization
        || layer instanceof BatchNormalization
        || (layer instanceof Conv1D c && c.kernelSize() == 1 && c.strides() == 1);
  }
}
