package dev.timestep.backend;

/** A native kernel returned a non-zero status; carries the library's own message. */
public final class NativeFailure extends IllegalStateException {
  private final int status;

  public NativeFailure(String op, int status, String detail) {
    super(op + " failed in native code (status " + status + "): " + detail);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
