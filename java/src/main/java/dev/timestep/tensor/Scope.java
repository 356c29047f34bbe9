package dev.timestep.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns native and device resources until it is closed, then frees them in reverse order. A training
 * step, a tape and a model each have one, so nothing waits for the garbage collector. Not
 * thread-safe: a scope belongs to one thread at a time.
 */
public final class Scope implements AutoCloseable {
  private final List<AutoCloseable> owned = new ArrayList<>();
  private boolean closed;

  public <T extends AutoCloseable> T track(T resource) {
    if (closed) {
      throw new IllegalStateException("scope is already closed; cannot own " + resource);
    }
    owned.add(resource);
    return resource;
  }

  public boolean isClosed() {
    return closed;
  }

  public int size() {
    return owned.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("failed to release " + owned.get(i), e);
        }
      }
    }
    owned.clear();
    if (first != null) {
      throw first;
    }
  }
}
