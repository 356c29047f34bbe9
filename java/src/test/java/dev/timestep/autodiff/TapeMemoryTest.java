package dev.timestep.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A tape owns every intermediate of one step (values, gradients, uploaded batches) and frees them
 * on close, on the native CPU backend, while parameters outlive it. Native memory is measured with
 * {@link CpuBackend#liveNativeBytes()}; the tolerance is 0 bytes.
 */
class TapeMemoryTest {
  private static final int CYCLES = 100;

  private final Backend cpu = CpuBackend.get();

  /** A dense layer with a tanh on the last time step of x, and its parameters. */
  private static final class Model implements AutoCloseable {
    final ParameterStore store = new ParameterStore();
    final int w;
    final int b;

    Model(Backend backend) {
      w = store.declare("w", Shape.of(4, 3), Initializer.glorotUniform());
      b = store.declare("b", Shape.of(3), Initializer.constant(0.1f));
      store.allocate(backend, 7);
    }

    Variable loss(Tape tape, Tensor x, Tensor target) {
      Variable xw = Ops.matmul(tape, tape.constant(x), store.get(w));
      Variable h = Ops.tanh(tape, Ops.addBias(tape, xw, store.get(b)));
      return Ops.mse(tape, Ops.lastStep(tape, h), tape.constant(target));
    }

    @Override
    public void close() {
      store.close();
    }
  }

  @Test
  void closingATapeFreesItsIntermediatesButNotTheParameters() {
    SplittableRandom random = new SplittableRandom(3);
    try (Model model = new Model(cpu)) {
      Tensor scratch;
      Tensor batch;
      Variable loss;
      Variable hidden;
      try (Tape tape = new Tape(cpu)) {
        scratch = tape.allocate(Shape.of(8));
        batch = cpu.upload(TestArrays.uniform(random, -1, 1, 2, 5, 4), tape.scope());
        Tensor target = cpu.upload(TestArrays.uniform(random, -1, 1, 2, 3), tape.scope());
        hidden =
            Ops.sigmoid(tape, Ops.matmul(tape, tape.constant(batch), model.store.get(model.w)));
        loss = model.loss(tape, batch, target);
        tape.backward(loss);
        assertFalse(scratch.isClosed(), "open while the tape is");
        assertTrue(tape.scope().size() > 0);
      }
      assertTrue(scratch.isClosed(), "tape.allocate tensors are freed with the tape");
      assertTrue(batch.isClosed(), "tensors uploaded into tape.scope() are freed with the tape");
      assertTrue(loss.value().isClosed() && loss.grad().isClosed(), "the loss and its gradient");
      assertTrue(hidden.value().isClosed(), "an op result");
      for (Parameter p : model.store.parameters()) {
        assertFalse(p.value().isClosed(), p + " outlives the tape");
        assertFalse(p.grad().isClosed(), p + " gradient outlives the tape");
      }
      // And the parameters' gradients are still readable: backward actually wrote them.
      float[] grads = cpu.download(model.store.grads()).data();
      double norm = 0;
      for (float g : grads) {
        norm += Math.abs(g);
      }
      assertTrue(norm > 0, "backward should have left non-zero parameter gradients");
    }
  }

  @Test
  void forwardBackwardCyclesReturnNativeMemoryToItsStart() {
    SplittableRandom random = new SplittableRandom(5);
    long start = CpuBackend.liveNativeBytes();
    try (Model model = new Model(cpu)) {
      long afterParameters = CpuBackend.liveNativeBytes();
      assertTrue(afterParameters > start, "the parameter arena is native memory too");
      for (int i = 0; i < CYCLES; i++) {
        model.store.zeroGrads();
        try (Tape tape = new Tape(cpu)) {
          Tensor x = cpu.upload(TestArrays.uniform(random, -1, 1, 2, 5, 4), tape.scope());
          Tensor target = cpu.upload(TestArrays.uniform(random, -1, 1, 2, 3), tape.scope());
          tape.backward(model.loss(tape, x, target));
          assertTrue(
              CpuBackend.liveNativeBytes() > afterParameters, "a live tape holds native memory");
        }
      }
      assertEquals(
          afterParameters,
          CpuBackend.liveNativeBytes(),
          "native bytes left behind by " + CYCLES + " closed tapes");
    }
    assertEquals(
        start,
        CpuBackend.liveNativeBytes(),
        "native bytes left behind after the parameters were closed");
  }
}
