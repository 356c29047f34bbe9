package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Splits;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Training end to end on small data: the loss falls, and backends agree. */
class SequentialTrainingTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static Sequential linear(Backend b, int outputs) {
    Sequential m = new Sequential(new Flatten(), new Dense(outputs)).seed(7).backend(b);
    m.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void lossDecreasesOnTheChapterSeries(String backendName) {
    Splits data = ChapterData.oneStep(3);
    NDArray x = data.train().x().rows(0, 512);
    NDArray y = data.train().y().rows(0, 512);
    try (Sequential model = linear(backend(backendName), 1)) {
      History h =
          model.fit(
              x,
              y,
              FitOptions.defaults()
                  .epochs(5)
                  .batchSize(32)
                  .validation(data.valid().x().rows(0, 256), data.valid().y().rows(0, 256)));
      List<Double> loss = h.series("loss");
      assertEquals(5, h.epochs());
      assertTrue(loss.get(4) < loss.get(0) * 0.5, "loss should fall by half at least: " + loss);
      assertTrue(
          h.last("val_loss") < h.epoch(0).get("val_loss"), "validation loss should fall: " + h);
      // The metric "mse" is the loss itself here, averaged the same way.
      assertEquals(h.last("loss"), h.last("mse"), 1e-6);
    }
  }

  @Test
  void cpuAndReferenceTrainToTheSameWeights() {
    Splits data = ChapterData.tenStepsVector(5);
    NDArray x = data.train().x().rows(0, 200);
    NDArray y = data.train().y().rows(0, 200);
    float[] ref;
    float[] cpu;
    try (Sequential a = linear(ReferenceBackend.float32(), 10);
        Sequential b = linear(CpuBackend.get(), 10)) {
      a.fit(x, y, FitOptions.defaults().epochs(2).batchSize(16).seed(9));
      b.fit(x, y, FitOptions.defaults().epochs(2).batchSize(16).seed(9));
      ref = a.backend().download(a.parameters().values()).data();
      cpu = b.backend().download(b.parameters().values()).data();
    }
    assertArrayEquals(ref, cpu, 1e-5f, "native CPU and reference training must agree");
  }

  @Test
  void sameSeedGivesIdenticalWeights() {
    Splits data = ChapterData.oneStep(1);
    NDArray x = data.train().x().rows(0, 128);
    NDArray y = data.train().y().rows(0, 128);
    float[][] weights = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (Sequential m = linear(CpuBackend.get(), 1)) {
        m.fit(x, y, FitOptions.defaults().epochs(2).seed(11));
        weights[run] = m.backend().download(m.parameters().values()).data();
      }
    }
    assertArrayEquals(weights[0], weights[1]);
  }

  @Test
  void denseAppliesToEveryTimeStepOfASequence() {
    try (Sequential m = new Sequential(new Dense(4)).backend(CpuBackend.get()).seed(1)) {
      NDArray x = NDArray.zeros(2, 7, 3);
      for (int i = 0; i < x.size(); i++) {
        x.data()[i] = (i % 5) * 0.1f;
      }
      NDArray out = m.predict(x);
      assertEquals(List.of(2, 7, 4), List.of(out.dim(0), out.dim(1), out.dim(2)));
      // Step 3 of sample 1 equals the model applied to that step alone.
      NDArray single =
          NDArray.of(new float[] {x.get(1, 3, 0), x.get(1, 3, 1), x.get(1, 3, 2)}, 1, 1, 3);
      NDArray alone = m.predict(single);
      for (int f = 0; f < 4; f++) {
        assertEquals(out.get(1, 3, f), alone.get(0, 0, f), 1e-6f);
      }
      // A model built on 7 steps accepts 20: Dense does not depend on the length.
      assertEquals(20, m.predict(NDArray.zeros(1, 20, 3)).dim(1));
    }
  }

  @Test
  void evaluateMatchesTheMseOfPredict() {
    Splits data = ChapterData.oneStep(2);
    NDArray x = data.valid().x().rows(0, 100);
    NDArray y = data.valid().y().rows(0, 100);
    try (Sequential m = linear(CpuBackend.get(), 1)) {
      double evaluated = m.evaluate(x, y, 32).get("loss");
      double direct = dev.timestep.data.Forecasts.mse(m.predict(x, 7), y);
      assertEquals(direct, evaluated, 1e-6);
    }
  }

  @Test
  void divergenceStopsWithTheEpochAndBatchAndKeepsFiniteWeights() {
    NDArray x = NDArray.zeros(64, 50, 1);
    java.util.Arrays.fill(x.data(), 1f);
    NDArray y = NDArray.zeros(64, 1);
    try (Sequential m =
        new Sequential(new Flatten(), new Dense(1)).backend(CpuBackend.get()).seed(3)) {
      // Adam moves each weight by about lr per step: 1e38 overflows the next prediction.
      m.compile(Loss.mse(), new Adam(1e38));
      IllegalStateException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () -> m.fit(x, y, FitOptions.defaults().epochs(3).batchSize(16)));
      assertTrue(
          e.getMessage().contains("diverged") && e.getMessage().contains("epoch 1, batch 2"),
          e.getMessage());
      for (float w : m.backend().download(m.parameters().values()).data()) {
        assertTrue(Float.isFinite(w), "weights must stay finite, got " + w);
      }
    }
  }
}
