package dev.timestep.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.SimpleRNN;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused path of {@link StreamingForecaster}: which models take it, pushes over a long series
 * equal to {@code predict} over the growing window (bit for bit on the reference backend, within
 * 1e-6 on cpu), slots reused from closed streams start from zeros, the slab's memory goes back at
 * close, and closed forecasters are refused before any native call.
 */
class FusedStreamingTest {
  private static final Backend CPU = CpuBackend.get();

  @Test
  void recurrentStacksWithDenseHeadsFuseAndOtherModelsDoNot() {
    for (String name :
        List.of(
            "simple-rnn",
            "stacked-rnn",
            "deep-rnn",
            "seq-rnn",
            "ln-rnn",
            "lstm",
            "gru",
            "wavenet")) {
      try (Sequential m = ChapterModels.named(name).build(3).backend(CPU)) {
        m.build(Shape.of(6, 1));
        try (StreamingForecaster f = StreamingForecaster.of(m)) {
          assertTrue(f.isFused(), name + " should fuse");
          assertEquals(StreamMode.INCREMENTAL, f.mode());
        }
      }
    }
    for (String name : List.of("linear", "conv-gru", "bn-rnn")) {
      try (Sequential m = ChapterModels.named(name).build(3).backend(CPU)) {
        m.build(Shape.of(8, 1));
        try (StreamingForecaster f = StreamingForecaster.of(m)) {
          assertFalse(f.isFused(), name + " has a layer the fused step does not run");
        }
      }
    }
    try (Sequential m =
        new Sequential(
                new GRU(5).returnSequences(true),
                new Dropout(0.3),
                new LayerNormalization(),
                new TimeDistributed(new Dense(2)))
            .backend(CPU)) {
      m.build(Shape.of(4, 1));
      try (StreamingForecaster f = StreamingForecaster.of(m)) {
        assertFalse(f.isFused(), "LayerNormalization between layers keeps the layer-wise path");
        assertEquals(StreamMode.INCREMENTAL, f.mode());
      }
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "lstm, reference",
    "lstm, cpu",
    "gru, reference",
    "gru, cpu",
    "deep-rnn, cpu",
    "ln-rnn, reference",
    "ln-rnn, cpu",
    "simple-rnn, cpu",
    "wavenet, reference",
    "wavenet, cpu"
  })
  void pushesOverALongSeriesEqualPredictOverTheGrowingWindow(String name, String backend) {
    Backend b = backend.equals("cpu") ? CPU : ReferenceBackend.float32();
    int steps = 40;
    try (Sequential m = ChapterModels.named(name).build(4).backend(b).seed(11)) {
      m.build(Shape.of(steps, 1));
      float[] x = TestArrays.uniform(new SplittableRandom(9), -1, 1, steps).data();
      try (StreamingForecaster f = StreamingForecaster.of(m);
          ForecastStream s = f.open()) {
        assertTrue(f.isFused());
        for (int t = 1; t <= steps; t++) {
          float[] pushed = s.push(x[t - 1]);
          float[] expected = lastStep(m.predict(new NDArray(Shape.of(1, t, 1), head(x, t)), 1));
          if (backend.equals("reference")) {
            assertArrayEquals(expected, pushed, name + " after " + t);
          } else {
            TestArrays.assertAllClose(name + " after " + t, expected, pushed, 1e-6, 1e-6);
          }
        }
      }
    }
  }

  private static float[] head(float[] x, int n) {
    return Arrays.copyOf(x, n);
  }

  private static float[] lastStep(NDArray out) {
    if (out.shape().rank() < 3) {
      return out.data();
    }
    int width = out.dim(2);
    return Arrays.copyOfRange(out.data(), (out.dim(1) - 1) * width, out.dim(1) * width);
  }

  @Test
  void aSlotFreedByAClosedStreamStartsTheNextStreamFromZeros() {
    try (Sequential m =
        new Sequential(new LSTM(6).returnSequences(true), new TimeDistributed(new Dense(2)))
            .backend(CPU)
            .seed(5)) {
      m.build(Shape.of(4, 1));
      try (StreamingForecaster f = StreamingForecaster.of(m)) {
        List<ForecastStream> many = new ArrayList<>();
        for (int i = 0; i < FusedStep.CHUNK_ROWS + 3; i++) { // more than one chunk
          ForecastStream s = f.open();
          s.push(0.9f);
          s.push(-0.4f);
          many.add(s);
        }
        float[] fresh;
        try (ForecastStream first = f.open()) {
          fresh = first.push(0.25f);
        }
        for (int i = 0; i < many.size(); i += 2) {
          many.get(i).close();
        }
        assertEquals(many.size() / 2, f.openStreams());
        List<ForecastStream> reopened = new ArrayList<>();
        for (int i = 0; i < many.size(); i += 2) {
          reopened.add(f.open());
        }
        for (ForecastStream r : reopened) {
          assertArrayEquals(fresh, r.push(0.25f), "stream " + r.id() + " in a used slot");
        }
        assertArrayEquals(
            lastStep(m.predict(new NDArray(Shape.of(1, 1, 1), new float[] {0.25f}), 1)), fresh);
      }
    }
  }

  @Test
  void closingTheForecasterFreesTheSlabAndLaterCallsAreRefused() {
    try (Sequential m =
        new Sequential(new GRU(20).returnSequences(true), new TimeDistributed(new Dense(10)))
            .backend(CPU)) {
      m.build(Shape.of(4, 1));
      // a first forecaster loads everything that is loaded once (library, thread scratch)
      try (StreamingForecaster warm = StreamingForecaster.of(m)) {
        warm.open().push(0.1f);
      }
      long before = CpuBackend.liveNativeBytes();
      StreamingForecaster f = StreamingForecaster.of(m);
      List<ForecastStream> streams = new ArrayList<>();
      for (int i = 0; i < 3 * FusedStep.CHUNK_ROWS; i++) {
        streams.add(f.open());
      }
      float[][] points = new float[streams.size()][];
      Arrays.fill(points, new float[] {0.5f});
      f.push(streams, points);
      assertTrue(CpuBackend.liveNativeBytes() > before, "the slab is native memory");
      f.close();
      assertEquals(before, CpuBackend.liveNativeBytes(), "bytes left after close");
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> streams.get(0).push(0.5f));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      assertThrows(IllegalStateException.class, f::open);
      assertThrows(IllegalStateException.class, () -> f.push(streams, points));
      f.close(); // twice is harmless
    }
  }

  @Test
  void aSnapshotOfAFusedStreamMovesToTheLayerwisePathAndBack() {
    // SimpleRNN then LayerNormalization does not fuse; the same recurrent layer alone does
    try (Sequential fusedModel =
            new Sequential(new SimpleRNN(4).returnSequences(true), new Dense(1))
                .backend(CPU)
                .seed(2);
        Sequential layered =
            new Sequential(
                    new SimpleRNN(4).returnSequences(true), new LayerNormalization(), new Dense(1))
                .backend(CPU)
                .seed(2)) {
      fusedModel.build(Shape.of(3, 1));
      layered.build(Shape.of(3, 1));
      try (StreamingForecaster a = StreamingForecaster.of(fusedModel);
          StreamingForecaster b = StreamingForecaster.of(layered);
          ForecastStream s = a.open();
          ForecastStream t = b.open()) {
        assertTrue(a.isFused());
        assertFalse(b.isFused());
        s.push(0.3f);
        s.push(-0.7f);
        StreamState state = s.snapshot();
        t.restore(state);
        assertArrayEquals(state.arrayView(0), t.snapshot().arrayView(0));
        t.push(0.1f);
        s.restore(t.snapshot());
        assertEquals(3, s.steps());
        assertArrayEquals(t.snapshot().arrayView(0), s.snapshot().arrayView(0));
      }
    }
  }
}
