package dev.timestep.backend;

import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * The states of many streams of one {@link StreamStack}, on the stack's backend: one row of {@link
 * StreamStack#rowFloats} floats per stream slot, held in chunks of {@link #chunkRows} rows that
 * never move, so that {@link #grow} can add slots while other slots are being stepped. Slot s is
 * row s % chunkRows of chunk s / chunkRows. New rows are zeros. Which slot belongs to which stream
 * is the caller's business. {@link #close} frees every chunk at once; a closed slab refuses every
 * use.
 *
 * <p>Thread-safe: {@link #grow} and {@link #close} run one at a time; {@link Backend#streamStep}
 * calls on distinct slots may run concurrently with each other and with {@link #grow}. The caller
 * must not close the slab while a step on it runs.
 */
public final class StreamSlab implements AutoCloseable {
  private final Backend backend;
  private final StreamStack stack;
  private final int chunkRows;
  private final Scope scope = new Scope();
  private volatile Tensor[] chunks = new Tensor[0];
  private volatile long[] addresses; // the native buffers (weights, then chunks), or null
  private volatile boolean closed;

  StreamSlab(Backend backend, StreamStack stack, int chunkRows) {
    this.backend = backend;
    this.stack = stack;
    this.chunkRows = chunkRows;
  }

  /** The stack whose states the rows hold. */
  public StreamStack stack() {
    return stack;
  }

  /** The backend the rows live on. */
  public Backend backend() {
    return backend;
  }

  /** Rows per chunk. */
  public int chunkRows() {
    return chunkRows;
  }

  /** The slots there are now: chunks × chunkRows. */
  public int capacity() {
    return chunks.length * chunkRows;
  }

  /**
   * Adds one chunk of zeroed rows and returns the first new slot.
   *
   * @throws IllegalStateException when the slab is closed or would exceed an int of slots
   */
  public synchronized int grow() {
    requireOpen("grow");
    Tensor[] now = chunks;
    if ((long) (now.length + 1) * chunkRows > Integer.MAX_VALUE) {
      throw new IllegalStateException("StreamSlab: more than " + Integer.MAX_VALUE + " slots");
    }
    long floats = Math.max(1L, (long) chunkRows * stack.rowFloats());
    if (floats > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "StreamSlab: a chunk of "
              + chunkRows
              + " rows of "
              + stack.rowFloats()
              + " floats exceeds one tensor");
    }
    Tensor chunk = backend.allocate(Shape.of((int) floats), scope);
    Tensor[] next = Arrays.copyOf(now, now.length + 1);
    next[now.length] = chunk;
    chunks = next;
    addresses = null;
    return now.length * chunkRows;
  }

  /**
   * The row of {@code slot}, a view [rowFloats] (for snapshots, restores and resets through the
   * backend's copy, upload, download and fill).
   *
   * @throws IllegalArgumentException for a slot outside [0, capacity)
   * @throws IllegalStateException when the slab is closed
   */
  public Tensor row(int slot) {
    requireOpen("row");
    Tensor[] now = chunks;
    if (slot < 0 || slot >= now.length * chunkRows) {
      throw new IllegalArgumentException(
          "StreamSlab: slot " + slot + " is outside [0, " + now.length * chunkRows + ")");
    }
    if (stack.rowFloats() == 0) {
      throw new IllegalArgumentException("StreamSlab: the stack carries no states");
    }
    return now[slot / chunkRows].view(
        (long) (slot % chunkRows) * stack.rowFloats(), Shape.of(stack.rowFloats()));
  }

  /** Whether {@link #close} ran. */
  public boolean isClosed() {
    return closed;
  }

  /** Frees every chunk; closing twice does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    chunks = new Tensor[0];
    addresses = null;
    scope.close();
  }

  /**
   * The native buffers array of {@link Backend#streamStep}: the weights' addresses (4 per layer, 0
   * for none), then the chunks'; cached until the next {@link #grow}.
   */
  long[] addresses(ToLongFunction<Tensor> address) {
    long[] a = addresses;
    if (a != null) {
      return a;
    }
    synchronized (this) {
      requireOpen("streamStep");
      Tensor[] weights = stack.weights();
      Tensor[] now = chunks;
      a = new long[weights.length + now.length];
      for (int i = 0; i < weights.length; i++) {
        a[i] = weights[i] == null ? 0L : address.applyAsLong(weights[i]);
      }
      for (int i = 0; i < now.length; i++) {
        a[weights.length + i] = address.applyAsLong(now[i]);
      }
      addresses = a;
      return a;
    }
  }

  /** The chunks now (for the reference backend). */
  Tensor[] chunks() {
    return chunks;
  }

  void requireOpen(String operation) {
    if (closed) {
      throw new IllegalStateException(operation + ": the StreamSlab is closed");
    }
  }
}
