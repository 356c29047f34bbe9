package dev.timestep.nn;

import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps one model's native memory alive while anything reads it, and refuses unsafe overlaps.
 * Read-only calls ({@code predict}, {@code evaluate}, {@code save}, MC dropout, a forward pass on a
 * tape) share the model; calls that change it ({@code fit}, {@code trainOnBatch}, {@code compile})
 * need it alone, and an overlap that would mix a writer with anyone else throws {@link
 * IllegalStateException} at once, before touching anything.
 *
 * <p>Closing is the one call that waits: {@link #closeWhenIdle} refuses every new call, asks a
 * running writer to stop (it polls {@link #stopRequested} between batches) and returns only when no
 * call is left inside the model, so memory is never freed under a running kernel.
 *
 * <p>The thread running an exclusive call may make shared calls inside it (fit evaluates its
 * validation data; a callback may predict or save), but not a second exclusive one, except through
 * {@link #exclusiveOrWithin} (a callback replacing the weights between batches).
 */
final class UsageGuard {
  private final String model;
  private Thread writer;
  private String writerOperation;

  /**
   * Shared leases held, per thread, so a thread closing inside its own call is refused, not
   * deadlocked.
   */
  private final Map<Thread, Integer> readers = new HashMap<>();

  private String readerOperation;
  private boolean closing;
  private boolean closed;

  /** {@code model} names the guarded model in messages. */
  UsageGuard(String model) {
    this.model = model;
  }

  /**
   * One entered call; closing it leaves the guard. A lease keeps its owner strongly reachable until
   * it is closed, so the owner's cleaner can never free memory a running call reads.
   */
  static final class Lease implements ModelLease {
    private final UsageGuard guard;
    private final Object owner;
    private final boolean exclusive;

    /** The thread that entered: a lease may be closed elsewhere (a tape handed over). */
    private final Thread holder = Thread.currentThread();

    private boolean left;

    private Lease(UsageGuard guard, Object owner, boolean exclusive) {
      this.guard = guard;
      this.owner = owner;
      this.exclusive = exclusive;
    }

    @Override
    public void close() {
      if (guard != null && !left) {
        left = true;
        guard.leave(exclusive, holder);
      }
      Reference.reachabilityFence(owner);
    }
  }

  private static final Lease NESTED = new Lease(null, null, false);

  /**
   * Enters a read-only call; fails while another thread changes the model or once closing began.
   */
  synchronized Lease shared(String operation, Object owner) {
    Thread me = Thread.currentThread();
    if (writer == me) {
      return NESTED; // inside this thread's own exclusive call, which already holds the model
    }
    if (!readers.containsKey(me)) {
      // A thread already inside (a forecast predicting step after step) may go on: close waits for
      // it anyway.
      requireNotClosing(operation);
    }
    if (writer != null) {
      throw busy(operation, writerOperation, writer);
    }
    readers.merge(me, 1, Integer::sum);
    readerOperation = operation;
    return new Lease(this, owner, false);
  }

  /** Enters a call that changes the model; fails while any other call runs on it. */
  synchronized Lease exclusive(String operation, Object owner) {
    requireNotClosing(operation);
    if (writer != null) {
      throw busy(operation, writerOperation, writer);
    }
    if (!readers.isEmpty()) {
      int count = readers.values().stream().mapToInt(Integer::intValue).sum();
      Thread reader = readers.keySet().iterator().next();
      throw busy(
          operation,
          count == 1
              ? readerOperation
              : count + " read-only calls (predict, evaluate, save, " + "MC dropout or open tapes)",
          reader);
    }
    writer = Thread.currentThread();
    writerOperation = operation;
    return new Lease(this, owner, true);
  }

  /**
   * As {@link #exclusive}, but on the thread already inside its own exclusive call, joins that call
   * instead of refusing: the model is this thread's alone either way. For changes a fit's callback
   * may make between batches (setWeights, as Keras' callbacks restore weights).
   */
  synchronized Lease exclusiveOrWithin(String operation, Object owner) {
    if (writer == Thread.currentThread()) {
      return NESTED;
    }
    return exclusive(operation, owner);
  }

  /** Whether a close is waiting for the running calls: a long call stops at its next batch. */
  synchronized boolean stopRequested() {
    return closing;
  }

  /**
   * Refuses new calls, waits until no call is inside the model, then runs {@code free} exactly once
   * over the guard's life; returns whether this call ran it.
   *
   * @throws IllegalStateException when this thread is itself inside a call on the model (it would
   *     wait for itself), or is interrupted while waiting (nothing is freed then)
   */
  synchronized boolean closeWhenIdle(Runnable free) {
    if (closed) {
      return false;
    }
    Thread me = Thread.currentThread();
    if (writer == me || readers.containsKey(me)) {
      throw new IllegalStateException(
          "close refused: "
              + model
              + " is in use by "
              + (writer == me ? writerOperation : readerOperation)
              + " earlier on this same thread (from a callback, a "
              + "layer, or a Tape still open after forward?); close it after that call returns or the tape is closed");
    }
    boolean wasClosing = closing;
    closing = true;
    try {
      while (writer != null || !readers.isEmpty()) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = wasClosing;
      notifyAll();
      throw new IllegalStateException(
          "close of "
              + model
              + " was interrupted while waiting for running calls; "
              + "nothing was freed",
          e);
    }
    if (closed) {
      return false; // another thread's close ran while this one waited
    }
    closed = true;
    free.run();
    return true;
  }

  private synchronized void leave(boolean exclusive, Thread holder) {
    if (exclusive) {
      writer = null;
      writerOperation = null;
    } else {
      readers.computeIfPresent(holder, (t, n) -> n == 1 ? null : n - 1);
    }
    notifyAll();
  }

  private void requireNotClosing(String operation) {
    if (closing) {
      throw new IllegalStateException(
          operation
              + " refused: "
              + model
              + " is being closed (or was closed); its "
              + "parameters are freed once running calls finish, and it cannot be used any more");
    }
  }

  private IllegalStateException busy(String operation, String running, Thread thread) {
    String where =
        thread == Thread.currentThread()
            ? "earlier on this same thread (from a callback or layer?)"
            : "on thread '" + thread.getName() + "'";
    return new IllegalStateException(
        operation
            + " refused: "
            + model
            + " is busy with "
            + running
            + " "
            + where
            + ". A model may predict/evaluate/save from many threads at once, but fit, trainOnBatch and compile"
            + " need it alone; wait for the other call to finish, or train a separate model");
  }
}
