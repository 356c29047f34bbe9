package dev.timestep.optim;

import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.tensor.Tensor;
import java.util.List;

/**
 * The settings {@link Adam} and {@link AdamW} share, checked once, and their one update: Keras'
 * bias-corrected rate {@code lr_t = lr·sqrt(1-β2^t)/(1-β1^t)} handed to the fused adam op.
 */
record AdamSettings(String optimizer, double beta1, double beta2, double epsilon, boolean amsgrad) {
  /** The slots without and with AMSGrad (Keras: momentums, velocities, velocity_hats). */
  private static final List<String> SLOTS = List.of("m", "v");

  private static final List<String> AMSGRAD_SLOTS = List.of("m", "v", "vhat");

  AdamSettings {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          optimizer + ": beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      // 0 would divide 0 by 0 for any weight whose gradient is exactly 0 so far (NaN weights)
      throw new IllegalArgumentException(
          optimizer + ": epsilon must be finite and > 0, got " + epsilon);
    }
  }

  List<String> slotNames() {
    return amsgrad ? AMSGRAD_SLOTS : SLOTS;
  }

  /** Step {@code t} with learning rate {@code lr} and {@code decay} = lr × weight decay. */
  void update(
      Backend backend, ParameterStore store, List<Tensor> slots, long t, double lr, double decay) {
    double lrT = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    backend.adam(
        store.values(),
        store.grads(),
        slots.get(0),
        slots.get(1),
        amsgrad ? slots.get(2) : null,
        (float) lrT,
        (float) beta1,
        (float) beta2,
        (float) epsilon,
        (float) decay);
  }

  String describe() {
    return amsgrad ? "amsgrad=true" : "";
  }
}
