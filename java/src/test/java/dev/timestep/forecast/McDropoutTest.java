package dev.timestep.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.BatchNormalization;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.ShapeKeepingLayer;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MC dropout: one batched pass for all samples, the right mean and spread, clear refusals. */
class McDropoutTest {

  /** Passes its input through and records the batch size of every forward call. */
  static final class BatchRecorder extends ShapeKeepingLayer {
    final List<Integer> batches = new ArrayList<>();

    BatchRecorder() {
      super("recorder");
    }

    @Override
    public Variable forward(Tape tape, Variable input, boolean training) {
      batches.add(input.shape().dim(0));
      return input;
    }
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void allSamplesAreOneForwardPassOverTheTiledBatch(String name) {
    BatchRecorder recorder = new BatchRecorder();
    NDArray x = TestArrays.uniform(new SplittableRandom(1), -1, 1, 5, 8, 1);
    try (Sequential m =
        new Sequential(recorder, new LSTM(4).dropout(0.2).recurrentDropout(0.3), new Dense(2))
            .seed(2)
            .backend(backend(name))) {
      m.build(Shape.of(8, 1));
      McPrediction p = McDropout.predict(m, x, 20);
      assertEquals(List.of(100), recorder.batches, "one pass over 5 inputs x 20 samples");
      assertEquals(Shape.of(5, 2), p.mean().shape());
      assertEquals(Shape.of(5, 2), p.std().shape());
      assertEquals(20, p.samples());
      for (float s : p.std().data()) {
        assertTrue(
            s > 0, "dropout makes the samples differ: std " + Arrays.toString(p.std().data()));
      }
    }
  }

  @Test
  void meanAndStdAreThoseOfTheDropoutDistribution() {
    // Dropout(0.5) on ones gives 0 or 2 with equal odds: mean 1, standard deviation 1.
    NDArray ones = NDArray.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3);
    try (Sequential m = new Sequential(new Dropout(0.5)).backend(ReferenceBackend.float32())) {
      m.build(Shape.of(3));
      McPrediction p = McDropout.predict(m, ones, 2000, 7);
      for (int i = 0; i < 6; i++) {
        assertEquals(1.0, p.mean().data()[i], 0.08, "mean of element " + i);
        assertEquals(1.0, p.std().data()[i], 0.03, "std of element " + i);
        // With values 0 and 2 only, std = sqrt(mean · (2 - mean)) exactly.
        double mean = p.mean().data()[i];
        assertEquals(
            Math.sqrt(mean * (2 - mean)), p.std().data()[i], 1e-5, "std from mean, element " + i);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameSamplesAndFreshSeedsOthers() {
    NDArray x = TestArrays.uniform(new SplittableRandom(3), -1, 1, 4, 6, 1);
    try (Sequential m =
        new Sequential(new SimpleRNN(5).recurrentDropout(0.3), new Dropout(0.2), new Dense(1))
            .seed(4)
            .backend(ReferenceBackend.float32())) {
      m.build(Shape.of(6, 1));
      McPrediction a = McDropout.predict(m, x, 10, 99);
      McPrediction b = McDropout.predict(m, x, 10, 99);
      assertArrayEquals(a.mean().data(), b.mean().data());
      assertArrayEquals(a.std().data(), b.std().data());
      McPrediction c = McDropout.predict(m, x, 10);
      McPrediction d = McDropout.predict(m, x, 10);
      assertFalse(
          Arrays.equals(c.mean().data(), d.mean().data()),
          "each call without a seed draws new masks");
    }
  }

  @Test
  void largeRequestsSplitTheInputsButKeepEveryInputsSamplesInOnePass() {
    BatchRecorder recorder = new BatchRecorder();
    NDArray x = TestArrays.uniform(new SplittableRandom(5), -1, 1, 50, 3, 1);
    try (Sequential m =
        new Sequential(recorder, new Flatten(), new Dropout(0.3), new Dense(1))
            .seed(6)
            .backend(CpuBackend.get())) {
      m.build(Shape.of(3, 1));
      McPrediction p = McDropout.predict(m, x, 100, 1);
      assertEquals(Shape.of(50, 1), p.mean().shape());
      assertEquals(List.of(4000, 1000), recorder.batches, "40 inputs x 100 samples, then 10 x 100");
    }
  }

  @Test
  void batchNormalizationStaysInInferenceMode() {
    NDArray x = TestArrays.uniform(new SplittableRandom(7), -1, 1, 6, 4);
    try (Sequential m =
        new Sequential(new Dense(3), new BatchNormalization(), new Dropout(0.5), new Dense(1))
            .seed(8)
            .backend(ReferenceBackend.float32())) {
      m.build(Shape.of(4));
      float[] movingMean = m.backend().download(m.parameters().state(0)).data();
      McDropout.predict(m, x, 8, 3);
      assertArrayEquals(
          movingMean,
          m.backend().download(m.parameters().state(0)).data(),
          "MC dropout must not update the moving averages");
    }
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    NDArray x = TestArrays.uniform(new SplittableRandom(9), -1, 1, 2, 5, 1);
    try (Sequential noDropout =
            new Sequential(new SimpleRNN(2), new Dense(1)).backend(ReferenceBackend.float32());
        Sequential withDropout =
            new Sequential(new SimpleRNN(2).dropout(0.2), new Dense(1))
                .backend(ReferenceBackend.float32())) {
      IllegalStateException unbuilt =
          assertThrows(IllegalStateException.class, () -> McDropout.predict(withDropout, x, 10));
      assertTrue(unbuilt.getMessage().contains("not built"), unbuilt.getMessage());
      noDropout.build(Shape.of(5, 1));
      withDropout.build(Shape.of(5, 1));
      assertRefused("samples must be at least 2", () -> McDropout.predict(withDropout, x, 1));
      assertRefused("the model has no dropout", () -> McDropout.predict(noDropout, x, 10));
      assertRefused(
          "x must have rank 3", () -> McDropout.predict(withDropout, x.reshape(2, 5), 10));
      assertRefused("model must not be null", () -> McDropout.predict(null, x, 10));
      assertRefused("x must not be null", () -> McDropout.predict(withDropout, null, 10));
    }
  }

  private static void assertRefused(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(
        e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
