package dev.timestep.backend;

/** A backend was asked for by name but cannot run here; the message says why. */
public final class BackendUnavailableException extends IllegalStateException {
  public BackendUnavailableException(String message) {
    super(message);
  }
}
