package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The book's LNSimpleRNNCell written in a few lines of user code and run by the generic RNN layer
 * gives the same outputs and gradients as the built-in fused layer.
 */
class RnnCellTest {

  /**
   * The book's cell: linear step W·x + U·h + b, then LayerNorm, then tanh; the state is the output.
   */
  static final class LNSimpleRNNCell implements Cell {
    private final int units;
    private ParameterStore store;
    private int kernel;
    private int recurrent;
    private int bias;
    private int gamma;
    private int beta;

    LNSimpleRNNCell(int units) {
      this.units = units;
    }

    @Override
    public int units() {
      return units;
    }

    @Override
    public void build(int features, ParameterStore store) {
      this.store = store;
      kernel = store.declare("cell/kernel", Shape.of(features, units), Initializer.glorotUniform());
      recurrent =
          store.declare("cell/recurrent_kernel", Shape.of(units, units), Initializer.orthogonal());
      bias = store.declare("cell/bias", Shape.of(units), Initializer.zeros());
      gamma = store.declare("cell/gamma", Shape.of(units), Initializer.constant(1f));
      beta = store.declare("cell/beta", Shape.of(units), Initializer.zeros());
    }

    @Override
    public Variable step(Tape tape, Variable x, Variable h) {
      Variable linear =
          Ops.addBias(
              tape,
              Ops.add(
                  tape,
                  Ops.matmul(tape, x, store.get(kernel)),
                  Ops.matmul(tape, h, store.get(recurrent))),
              store.get(bias));
      return Ops.tanh(tape, Ops.layerNorm(tape, linear, store.get(gamma), store.get(beta)));
    }
  }

  private static NDArray random(long seed, int... dims) {
    SplittableRandom r = new SplittableRandom(seed);
    NDArray a = NDArray.zeros(dims);
    for (int i = 0; i < a.size(); i++) {
      a.data()[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** Loss, then the whole gradient arena, after one forward/backward of {@code model}. */
  private static float[] gradients(Sequential model, NDArray x, NDArray y) {
    Backend b = model.backend();
    try (Tape tape = new Tape(b)) {
      Variable pred = model.forward(tape, tape.constant(b.upload(x, tape.scope())), true);
      Variable loss = Ops.mse(tape, pred, tape.constant(b.upload(y, tape.scope())));
      model.parameters().zeroGrads();
      tape.backward(loss);
    }
    return b.download(model.parameters().grads()).data();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void userWrittenLayerNormCellEqualsTheFusedLayer(String name) {
    Backend b = name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
    NDArray x = random(1, 3, 7, 2);
    NDArray y = random(2, 3, 7, 4);
    try (Sequential custom =
            new Sequential(new RNN(new LNSimpleRNNCell(4)).returnSequences(true))
                .backend(b)
                .seed(5);
        Sequential fused =
            new Sequential(new LayerNormSimpleRNN(4).returnSequences(true)).backend(b).seed(5)) {
      custom.build(Shape.of(7, 2));
      fused.build(Shape.of(7, 2));
      // Same declaration order and initializers, so the two arenas hold the same weights.
      assertArrayEquals(
          b.download(fused.parameters().values()).data(),
          b.download(custom.parameters().values()).data());
      assertArrayEquals(fused.predict(x).data(), custom.predict(x).data(), 1e-5f, "outputs");
      float[] g1 = gradients(fused, x, y);
      float[] g2 = gradients(custom, x, y);
      assertEquals(g1.length, g2.length);
      for (int i = 0; i < g1.length; i++) {
        assertEquals(g1[i], g2[i], 1e-5 + 1e-4 * Math.abs(g1[i]), "gradient " + i);
      }
      // The last state only (no return_sequences) agrees too.
    }
    try (Sequential custom = new Sequential(new RNN(new LNSimpleRNNCell(4))).backend(b).seed(6);
        Sequential fused = new Sequential(new LayerNormSimpleRNN(4)).backend(b).seed(6)) {
      assertArrayEquals(fused.predict(x).data(), custom.predict(x).data(), 1e-5f, "last state");
    }
  }
}
