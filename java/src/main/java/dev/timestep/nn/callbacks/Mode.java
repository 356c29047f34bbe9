package dev.timestep.nn.callbacks;

/** Whether a monitored value improves by going down or up (Keras' {@code mode}). */
public enum Mode {
  /**
   * From the name: up for accuracies and AUCs (a name, without "val_", containing "acc" or "auc"),
   * down for everything else (losses and errors).
   */
  AUTO,
  /** Lower is better. */
  MIN,
  /** Higher is better. */
  MAX
}
