package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conv1D as a user meets it: Keras' output lengths, WaveNet causality, any length, clear errors.
 */
class Conv1DLayerTest {

  private static Sequential waveNet(Backend b) {
    Sequential m = new Sequential().backend(b).seed(3);
    for (int rate : new int[] {1, 2, 4, 8, 1, 2, 4, 8}) {
      m.add(
          new Conv1D(20, 2)
              .padding(ConvPadding.CAUSAL)
              .activation(Activation.RELU)
              .dilationRate(rate));
    }
    return m.add(new Conv1D(10, 1));
  }

  private static NDArray random(long seed, int... dims) {
    SplittableRandom r = new SplittableRandom(seed);
    NDArray a = NDArray.zeros(dims);
    for (int i = 0; i < a.size(); i++) {
      a.data()[i] = (float) (r.nextDouble() - 0.5);
    }
    return a;
  }

  @Test
  void outputLengthsFollowKeras() {
    Backend cpu = CpuBackend.get();
    Object[][] cases = {
      {new Conv1D(3, 4).strides(2), 50, 24}, // the chapter's Conv-GRU: 50 steps -> 24
      {new Conv1D(3, 2).padding(ConvPadding.CAUSAL).dilationRate(4), 5, 5},
      {new Conv1D(3, 3).padding(ConvPadding.SAME).strides(2), 7, 4},
      {new Conv1D(3, 1), 9, 9},
      {new Conv1D(3, 3).dilationRate(2), 9, 5}
    };
    for (Object[] c : cases) {
      try (Sequential m = new Sequential((Conv1D) c[0]).backend(cpu)) {
        NDArray out = m.predict(NDArray.zeros(2, (int) c[1], 1));
        assertEquals(
            List.of(2, (int) c[2], 3),
            List.of(out.dim(0), out.dim(1), out.dim(2)),
            c[0].toString());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void waveNetOutputsUpToStepTIgnoreLaterInputs(String name) {
    Backend b = name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
    try (Sequential m = waveNet(b)) {
      NDArray x = random(1, 2, 40, 1);
      float[] before = m.predict(x).data();
      int t = 25;
      for (int s = t + 1; s < 40; s++) {
        x.set(5f, 0, s, 0);
        x.set(-5f, 1, s, 0);
      }
      float[] after = m.predict(x).data();
      for (int sample = 0; sample < 2; sample++) {
        for (int step = 0; step <= t; step++) {
          for (int k = 0; k < 10; k++) {
            int i = (sample * 40 + step) * 10 + k;
            assertEquals(
                before[i], after[i], 0f, "step " + step + " changed when only later inputs did");
          }
        }
      }
      int last = (39 * 10);
      assertTrue(before[last] != after[last], "the last step must see the changed inputs");
    }
  }

  @Test
  void modelsTakeAnyLength() {
    try (Sequential m = waveNet(CpuBackend.get());
        Sequential convGru =
            new Sequential(
                    new Conv1D(20, 4).strides(2),
                    new GRU(20).returnSequences(true),
                    new TimeDistributed(new Dense(10)))
                .backend(CpuBackend.get())) {
      m.compile(Loss.mse(), new Adam());
      m.fit(random(2, 8, 50, 1), random(3, 8, 50, 10), FitOptions.defaults().epochs(1));
      assertEquals(16_000, m.predict(random(4, 1, 16_000, 1), 1).dim(1));
      assertEquals(
          3, m.predict(random(5, 1, 3, 1)).dim(1)); // shorter than the receptive field (31 steps)
      assertEquals(24, convGru.predict(random(6, 2, 50, 1)).dim(1));
      assertEquals(99, convGru.predict(random(7, 1, 200, 1)).dim(1));
    }
  }

  @Test
  void badSettingsAndInputsAreClearErrors() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(3, 2).strides(0))
            .getMessage()
            .contains("stride"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new Conv1D(3, 2).dilationRate(0))
            .getMessage()
            .contains("dilation"));
    try (Sequential m = new Sequential(new Conv1D(3, 5)).backend(CpuBackend.get())) {
      var tooShort =
          assertThrows(IllegalArgumentException.class, () -> m.predict(NDArray.zeros(1, 4, 1)));
      assertTrue(
          tooShort.getMessage().contains("longer than the valid-padded input of 4 steps"),
          tooShort.getMessage());
    }
    try (Sequential m = new Sequential(new Conv1D(3, 2)).backend(CpuBackend.get())) {
      var flat =
          assertThrows(IllegalArgumentException.class, () -> m.predict(NDArray.zeros(2, 10)));
      assertTrue(flat.getMessage().contains("[time, channels]"), flat.getMessage());
      m.build(Shape.of(10, 2));
      var channels =
          assertThrows(IllegalArgumentException.class, () -> m.predict(NDArray.zeros(2, 10, 3)));
      assertTrue(channels.getMessage().contains("2 channels"), channels.getMessage());
    }
  }
}
