package dev.timestep.nn;

/**
 * Training diverged: the loss, a weight or the optimizer's state went NaN or infinite. The model
 * keeps the weights from before the failed step (or sync window); the message names where. {@code
 * fit} throws it unless a callback stops training when it sees the NaN loss (see {@link
 * dev.timestep.nn.callbacks.TerminateOnNaN}).
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  TrainingDivergedException(String message) {
    super(message);
  }
}
