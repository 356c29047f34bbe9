package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.timestep.autodiff.Tape;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training uses batch statistics and updates the moving averages; inference uses those averages.
 */
class BatchNormalizationTest {

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void trainingUpdatesMovingAveragesThatInferenceThenUses(String name) {
    Backend b = name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
    // Two channels: values 1..6 and 10..60 over 3 samples x 2 steps.
    NDArray x = NDArray.of(new float[] {1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60}, 3, 2, 2);
    try (Sequential m = new Sequential(new BatchNormalization()).backend(b)) {
      m.build(Shape.of(2, 2));
      // Before any training the moving mean is 0 and variance 1: inference is (x - 0) / sqrt(1 +
      // eps).
      float[] before = m.predict(x).data();
      assertEquals(1 / Math.sqrt(1.001), before[0], 1e-5);
      try (Tape tape = new Tape(b)) {
        float[] y =
            b.download(m.forward(tape, tape.constant(b.upload(x, tape.scope())), true).value())
                .data();
        // Training output is normalized with the batch statistics: channel 0 has mean 3.5.
        assertEquals((1 - 3.5) / Math.sqrt(17.5 / 6 + 1e-3), y[0], 1e-4);
      }
      // moving_mean = 0.99 * 0 + 0.01 * 3.5; moving_var = 0.99 * 1 + 0.01 * 17.5/6.
      float[] after = m.predict(x).data();
      double mean = 0.035;
      double var = 0.99 + 0.01 * (17.5 / 6);
      assertEquals((1 - mean) / Math.sqrt(var + 1e-3), after[0], 1e-5);
      assertNotEquals(before[0], after[0]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void aRecurrentModelWithBatchNormTrainsOnBothBackendsAlike(String name) {
    NDArray x = NDArray.zeros(8, 5, 1);
    NDArray y = NDArray.zeros(8, 5, 2);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) Math.sin(i * 0.3);
    }
    for (int i = 0; i < y.size(); i++) {
      y.data()[i] = (float) Math.cos(i * 0.2);
    }
    float[][] weights = new float[2][];
    Backend[] backends = {ReferenceBackend.float32(), CpuBackend.get()};
    for (int k = 0; k < 2; k++) {
      try (Sequential m =
          new Sequential(
                  new SimpleRNN(4).returnSequences(true),
                  new BatchNormalization(),
                  new TimeDistributed(new Dense(2)))
              .backend(backends[k])
              .seed(2)) {
        m.compile(Loss.mse(), new Adam(1e-2));
        m.fit(x, y, FitOptions.defaults().epochs(3).batchSize(4).seed(1));
        weights[k] = backends[k].download(m.parameters().values()).data();
      }
    }
    assertArrayEquals(weights[0], weights[1], 1e-4f);
  }
}
