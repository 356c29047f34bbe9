package dev.timestep.stream;

import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves many threads that each want a prediction for one sample: requests are queued and run as
 * one batched {@code predict}, and each caller gets its own row. Thread-safe. A batch runs as soon
 * as one of these holds: {@code maxBatch} requests have gathered; {@code maxDelay} has passed since
 * its first request; or no new request has come for {@code idleGap}. The gap is what lets a lone
 * caller, or a handful whose batch can never fill, run after a short pause instead of waiting out
 * the whole deadline, while callers that keep arriving still gather into full batches.
 *
 * <p>Back-pressure: at most {@code capacity} requests wait (queued or gathering into a batch);
 * {@link #submit} then blocks until one runs, {@link #trySubmit} refuses at once. {@link #close}
 * stops new requests, runs those already accepted and returns when they are done; {@link #closeNow}
 * fails the ones not yet running with an {@link IllegalStateException} saying so.
 *
 * <pre>{@code
 * try (BatchingPredictor p = new BatchingPredictor(model, 64, Duration.ofNanos(200_000), 4096)) {
 *   float[] row = p.predict(sample);     // from any number of threads; sample [steps, features]
 * }
 * }</pre>
 */
public final class BatchingPredictor implements AutoCloseable {
  private final Sequential model;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final long idleGapNanos;
  private final Semaphore room;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread worker;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong served = new AtomicLong();
  private volatile boolean closing;
  private volatile boolean failPending;

  private record Request(NDArray sample, CompletableFuture<float[]> result) {}

  /**
   * A predictor whose batches also run after a quarter of {@code maxDelay} without a new request:
   * {@code BatchingPredictor(model, maxBatch, maxDelay, maxDelay / 4, capacity)}.
   */
  public BatchingPredictor(Sequential model, int maxBatch, Duration maxDelay, int capacity) {
    this(model, maxBatch, maxDelay, maxDelay == null ? null : maxDelay.dividedBy(4), capacity);
  }

  /**
   * A predictor over {@code model} (built, or built by the first batch) with its own worker thread.
   *
   * @param maxBatch the most samples one {@code predict} runs, at least 1
   * @param maxDelay how long the first request of a batch waits for others, at least 0
   * @param idleGap how long a gathering batch waits for the next request before it runs, at least 0
   *     ({@code maxDelay} or more: batches wait out their deadline)
   * @param capacity the most requests waiting at once, at least 1 (below {@code maxBatch}, no batch
   *     fills: each runs at its deadline or after its idle gap)
   * @throws IllegalArgumentException for a null or closed model or a limit out of range
   */
  public BatchingPredictor(
      Sequential model, int maxBatch, Duration maxDelay, Duration idleGap, int capacity) {
    if (model == null || model.isClosed()) {
      throw new IllegalArgumentException("BatchingPredictor: the model is null or closed");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException(
          "BatchingPredictor: maxBatch must be at least 1, got " + maxBatch);
    }
    if (maxDelay == null || maxDelay.isNegative()) {
      throw new IllegalArgumentException(
          "BatchingPredictor: maxDelay must be zero or positive, got " + maxDelay);
    }
    if (idleGap == null || idleGap.isNegative()) {
      throw new IllegalArgumentException(
          "BatchingPredictor: idleGap must be zero or positive, got " + idleGap);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "BatchingPredictor: capacity must be at least 1, got " + capacity);
    }
    this.model = model;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.idleGapNanos = idleGap.toNanos();
    this.room = new Semaphore(capacity);
    this.worker = new Thread(this::serve, "timestep-batching-predictor");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * The model's output for one sample [steps, features] (its row of a batched {@code predict}),
   * waiting for room in the queue and for the batch to run.
   *
   * @throws IllegalArgumentException for a bad sample (before it is queued)
   * @throws IllegalStateException when the predictor is closed, or closed before this ran
   * @throws RuntimeException what the batch's {@code predict} threw
   */
  public float[] predict(NDArray sample) throws InterruptedException {
    try {
      return submit(sample).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("BatchingPredictor: the batch failed", e.getCause());
    }
  }

  /**
   * Queues one sample, blocking while {@code capacity} requests wait; the future completes with its
   * output row, or exceptionally with what failed.
   */
  public CompletableFuture<float[]> submit(NDArray sample) throws InterruptedException {
    requireSample(sample);
    while (!room.tryAcquire(10, TimeUnit.MILLISECONDS)) {
      requireOpen();
    }
    return enqueue(sample);
  }

  /**
   * As {@link #submit}, but refuses at once when {@code capacity} requests wait.
   *
   * @throws RejectedExecutionException when the queue is full
   */
  public CompletableFuture<float[]> trySubmit(NDArray sample) {
    requireSample(sample);
    if (!room.tryAcquire()) {
      throw new RejectedExecutionException(
          "BatchingPredictor: the queue is full; retry later or use submit, which waits");
    }
    return enqueue(sample);
  }

  /** Batched predicts run so far. */
  public long batchesRun() {
    return batches.get();
  }

  /** Requests answered so far (successfully or not). */
  public long requestsRun() {
    return served.get();
  }

  /** Refuses new requests, runs every accepted one, and returns when they are done. */
  @Override
  public void close() {
    closing = true;
    joinWorker();
  }

  /** Refuses new requests, fails those not yet running, and returns when the running batch ends. */
  public void closeNow() {
    failPending = true;
    closing = true;
    joinWorker();
  }

  private void joinWorker() {
    boolean interrupted = false;
    while (worker.isAlive()) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletableFuture<float[]> enqueue(NDArray sample) {
    Request r = new Request(sample, new CompletableFuture<>());
    queue.add(r);
    // Closed meanwhile: the worker may have ended before seeing it. Whoever removes it answers it.
    if (closing && queue.remove(r)) {
      room.release();
      requireOpen();
    }
    return r.result();
  }

  private void serve() {
    List<Request> batch = new ArrayList<>(maxBatch);
    Request held = null; // a sample of another shape: it starts the next batch
    while (true) {
      Request first = held != null ? held : take();
      held = null;
      if (first == null) {
        if (closing && queue.isEmpty()) {
          return;
        }
        continue;
      }
      batch.add(first);
      long deadline = System.nanoTime() + maxDelayNanos;
      long quietUntil = System.nanoTime() + idleGapNanos;
      while (batch.size() < maxBatch && !failPending) {
        long left = closing ? 0 : Math.min(deadline, quietUntil) - System.nanoTime();
        Request next = left <= 0 ? queue.poll() : poll(Math.min(left, 5_000_000L));
        if (next == null) {
          if (left <= 0) {
            break;
          }
          continue;
        }
        if (!next.sample().shape().equals(first.sample().shape())) {
          held = next;
          break;
        }
        batch.add(next);
        quietUntil = System.nanoTime() + idleGapNanos;
      }
      if (failPending) {
        fail(batch);
        if (held != null) {
          fail(List.of(held));
          held = null;
        }
        List<Request> rest = new ArrayList<>();
        queue.drainTo(rest);
        fail(rest);
        if (queue.isEmpty()) {
          return;
        }
      } else {
        run(batch);
      }
      batch.clear();
    }
  }

  private Request take() {
    return poll(5_000_000L);
  }

  private Request poll(long nanos) {
    try {
      return queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return null; // the worker stops only through close, which it checks next
    }
  }

  private void run(List<Request> batch) {
    room.release(batch.size());
    int n = batch.size();
    Shape sampleShape = batch.get(0).sample().shape();
    int size = Math.toIntExact(sampleShape.size());
    float[] x = new float[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(batch.get(i).sample().data(), 0, x, i * size, size);
    }
    batches.incrementAndGet();
    served.addAndGet(n);
    try {
      NDArray out = model.predict(new NDArray(sampleShape.prepend(n), x), n);
      int width = Math.toIntExact(out.shape().rowSize());
      for (int i = 0; i < n; i++) {
        batch.get(i).result().complete(Arrays.copyOfRange(out.data(), i * width, (i + 1) * width));
      }
    } catch (RuntimeException e) {
      for (Request r : batch) {
        r.result().completeExceptionally(e);
      }
    }
  }

  private void fail(List<Request> requests) {
    room.release(requests.size());
    served.addAndGet(requests.size());
    for (Request r : requests) {
      r.result()
          .completeExceptionally(
              new IllegalStateException(
                  "BatchingPredictor: closed with closeNow() before this request ran"));
    }
  }

  private void requireSample(NDArray sample) {
    requireOpen();
    if (sample == null || sample.shape().rank() < 1) {
      throw new IllegalArgumentException(
          "BatchingPredictor: a sample must be one model input, e.g. [steps, features], got "
              + (sample == null ? "null" : sample.shape()));
    }
    Shape expected = model.inputShape();
    if (expected != null
        && (sample.shape().rank() != expected.rank()
            || sample.shape().dim(sample.shape().rank() - 1)
                != expected.dim(expected.rank() - 1))) {
      throw new IllegalArgumentException(
          "BatchingPredictor: the model takes samples like "
              + expected
              + " (one sample, no batch axis), got "
              + sample.shape());
    }
    for (float v : sample.data()) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("BatchingPredictor: the sample holds " + v);
      }
    }
  }

  private void requireOpen() {
    if (closing) {
      throw new IllegalStateException("BatchingPredictor: closed; no new requests are taken");
    }
  }
}
