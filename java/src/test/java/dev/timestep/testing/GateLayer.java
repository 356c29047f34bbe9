package dev.timestep.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A pass-through layer that, once armed, holds the next forward pass inside the model until
 * released: a test can then act while a call is certainly running, without timing.
 */
public final class GateLayer extends ShapeKeepingLayer {
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;

  public GateLayer() {
    super("gate");
  }

  /** The next forward pass (any thread, any mode) will stop here until {@link #open}. */
  public void arm() {
    release = new CountDownLatch(1);
    entered = new CountDownLatch(1);
  }

  /** Waits until an armed gate holds a call. */
  public void awaitHeld() {
    await(entered);
  }

  public void open() {
    release.countDown();
  }

  @Override
  public Variable forward(Tape tape, Variable input, boolean training) {
    CountDownLatch in = entered;
    if (in != null && in.getCount() > 0) {
      in.countDown();
      await(release);
    }
    return input;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(60, TimeUnit.SECONDS), "gate latch timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
