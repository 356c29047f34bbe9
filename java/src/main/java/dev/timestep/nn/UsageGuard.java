package dev.timestep.nn;

/**
 * Detects unsafe concurrent use of one model and refuses it at once, never blocking.
 * Read-only calls ({@code predict}, {@code evaluate}) share the model; calls that change it
 * ({@code fit}, {@code trainOnBatch}, {@code compile}, {@code close}) need it alone. A call that
 * would overlap in an unsafe way throws {@link IllegalStateException} before touching anything,
 * so the weights never see two writers (or a writer and a reader) at once.
 *
 * <p>The thread running an exclusive call may make shared calls inside it (fit evaluates its
 * validation data; a listener may predict), but not a second exclusive one.
 */
final class UsageGuard {
  private final String model;
  private Thread writer;
  private String writerOperation;
  private int readers;
  private String readerOperation;
  private Thread readerThread;

  /** {@code model} names the guarded model in messages. */
  UsageGuard(String model) {
    this.model = model;
  }

  /** One entered call; closing it leaves the guard. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** Enters a read-only call; fails while another thread changes the model. */
  synchronized Lease shared(String operation) {
    Thread me = Thread.currentThread();
    if (writer == me) {
      return () -> {}; // nested inside this thread's own exclusive call
    }
    if (writer != null) {
      throw busy(operation, writerOperation, writer);
    }
    readers++;
    readerOperation = operation;
    readerThread = me;
    return this::leaveShared;
  }

  /** Enters a call that changes the model; fails while any other call runs on it. */
  synchronized Lease exclusive(String operation) {
    Thread me = Thread.currentThread();
    if (writer != null) {
      throw busy(operation, writerOperation, writer);
    }
    if (readers > 0) {
      throw busy(operation, readers == 1 ? readerOperation : readers + " predict/evaluate calls", readerThread);
    }
    writer = me;
    writerOperation = operation;
    return this::leaveExclusive;
  }

  private synchronized void leaveShared() {
    readers--;
  }

  private synchronized void leaveExclusive() {
    writer = null;
    writerOperation = null;
  }

  private IllegalStateException busy(String operation, String running, Thread thread) {
    String where = thread == Thread.currentThread() ? "earlier on this same thread (from a listener or layer?)"
        : "on thread '" + thread.getName() + "'";
    return new IllegalStateException(operation + " refused: " + model + " is busy with " + running + " " + where
        + ". A model may predict/evaluate from many threads at once, but fit, trainOnBatch, compile and close"
        + " need it alone; wait for the other call to finish, or train a separate model");
  }
}
