package dev.timestep.stream;

import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Tensor;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One live series of a {@link StreamingForecaster}: push its observations one at a time and get the
 * forecast after each. Its state (recurrent states on the model's backend, or the ring buffer of a
 * full-window stream) belongs to it alone. Thread-safe: calls on one stream run one at a time;
 * streams are independent. Close it (or its forecaster) to free its memory.
 */
public final class ForecastStream implements AutoCloseable {
  private final StreamingForecaster owner;
  private final long id;
  final ReentrantLock lock = new ReentrantLock();

  // incremental: the carried states on the backend, owned by scope
  private final Scope scope;
  final List<Tensor> states;
  // fused: {the slot of this stream's row in the forecaster's slab}, else null
  final int[] slot;
  // full window: the last observations, oldest first once wrapped at head
  final float[] ring;
  int head;
  long steps;
  // a model with a strided or 'valid' convolution: the forecast of its last output (null: none yet)
  float[] lastForecast;
  private boolean closed;

  ForecastStream(
      StreamingForecaster owner,
      long id,
      Scope scope,
      List<Tensor> states,
      int[] slot,
      float[] ring) {
    this.owner = owner;
    this.id = id;
    this.scope = scope;
    this.states = states;
    this.slot = slot;
    this.ring = ring;
  }

  /** This stream's number, unique within its forecaster. */
  public long id() {
    return id;
  }

  /** How many observations this stream has seen since it was opened, reset or restored. */
  public long steps() {
    lock.lock();
    try {
      return steps;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Feeds one observation (one value per input feature) and returns the model's output for the
   * history so far: what {@code predict} returns for this series' history as one sample (its last
   * step for a model that outputs every step). A full-window stream returns an empty array until it
   * has seen its window.
   *
   * @throws IllegalArgumentException for an observation of the wrong length or a NaN/Inf value
   * @throws IllegalStateException when the stream, its forecaster or the model is closed
   */
  public float[] push(float... observation) {
    return owner.pushOne(this, observation);
  }

  /**
   * Feeds a whole history [steps, features] at once (one fused pass per recurrent layer) and
   * returns the forecast after its last row, as {@link #push} of each row in turn would.
   *
   * @throws IllegalArgumentException for a history that is not [steps ≥ 1, features] or holds
   *     NaN/Inf
   */
  public float[] warmUp(NDArray history) {
    return owner.warmUp(this, history);
  }

  /** A copy of this stream's state on the heap, to {@link #restore} here or in another stream. */
  public StreamState snapshot() {
    return owner.snapshot(this);
  }

  /**
   * Continues from {@code state} (taken from a stream of a forecaster of the same model shape).
   *
   * @throws IllegalArgumentException when the state does not fit this forecaster's model
   */
  public void restore(StreamState state) {
    owner.restore(this, state);
  }

  /** Forgets the history: the next observation starts from zero states (an empty window). */
  public void reset() {
    owner.reset(this);
  }

  /** Whether this stream is closed. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Frees the stream's states (a fused stream's row goes back to its forecaster for reuse); later
   * calls fail. Closing twice does nothing.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (scope != null) {
        scope.close();
      }
    } finally {
      lock.unlock();
    }
    owner.forget(this);
  }

  /** Under the lock: refuses a closed stream. */
  void requireOpen(String operation) {
    if (closed) {
      throw new IllegalStateException(operation + ": stream " + id + " is closed");
    }
  }

  @Override
  public String toString() {
    return "ForecastStream(" + id + ", " + steps + " steps" + (closed ? ", closed" : "") + ")";
  }
}
