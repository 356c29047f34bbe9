package dev.timestep.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream's life beyond pushing: snapshot and restore (in memory and through bytes, into the same
 * or another stream), reset, closing, which models stream incrementally, and the checks on bad
 * input, each failing before any state changes.
 */
class StreamStateTest {
  private static final Backend CPU = CpuBackend.get();

  private static Sequential lstm(int units) {
    Sequential m =
        new Sequential(
                new LSTM(units).returnSequences(true),
                new LSTM(units).returnSequences(true),
                new TimeDistributed(new Dense(2)))
            .backend(CPU)
            .seed(3);
    m.build(Shape.of(10, 2));
    return m;
  }

  private static float[] point(int t) {
    return new float[] {(float) Math.sin(0.3 * t), (float) Math.cos(0.7 * t)};
  }

  @Test
  void aRestoredSnapshotContinuesExactlyAsTheStreamItWasTakenFrom() {
    try (Sequential m = lstm(6);
        StreamingForecaster f = StreamingForecaster.of(m)) {
      ForecastStream a = f.open();
      for (int t = 0; t < 5; t++) {
        a.push(point(t));
      }
      StreamState saved = a.snapshot();
      assertEquals(5, saved.steps());
      assertEquals(4, saved.arrays()); // h and c of two LSTMs
      float[][] continued = new float[3][];
      for (int t = 5; t < 8; t++) {
        continued[t - 5] = a.push(point(t));
      }
      ForecastStream b = f.open();
      b.restore(StreamState.fromBytes(saved.toBytes()));
      a.restore(saved);
      assertEquals(5, b.steps());
      for (int t = 5; t < 8; t++) {
        assertArrayEquals(continued[t - 5], b.push(point(t)), "restored from bytes, point " + t);
        assertArrayEquals(continued[t - 5], a.push(point(t)), "restored in place, point " + t);
      }
    }
  }

  @Test
  void aFullWindowStreamsSnapshotKeepsItsWindowBeforeAndAfterItFills() {
    try (Sequential m = new Sequential(new Flatten(), new Dense(2)).backend(CPU).seed(4)) {
      m.build(Shape.of(4, 2));
      try (StreamingForecaster f = StreamingForecaster.of(m)) {
        for (int taken : new int[] {2, 6}) {
          ForecastStream a = f.open();
          for (int t = 0; t < taken; t++) {
            a.push(point(t));
          }
          StreamState saved = a.snapshot();
          assertEquals(StreamMode.FULL_WINDOW, saved.mode());
          assertEquals(Math.min(taken, 4) * 2, saved.array(0).length);
          ForecastStream b = f.open();
          b.restore(StreamState.fromBytes(saved.toBytes()));
          for (int t = taken; t < taken + 5; t++) {
            assertArrayEquals(
                a.push(point(t)), b.push(point(t)), "after " + taken + ", point " + t);
          }
        }
      }
    }
  }

  @Test
  void aSnapshotMovesToAnotherForecasterOfTheSameModel() {
    try (Sequential m = lstm(4);
        StreamingForecaster first = StreamingForecaster.of(m);
        StreamingForecaster second = StreamingForecaster.of(m)) {
      ForecastStream a = first.open();
      a.push(point(0));
      ForecastStream b = second.open();
      b.restore(a.snapshot());
      assertArrayEquals(a.push(point(1)), b.push(point(1)));
    }
  }

  @Test
  void resetStartsAgainFromZeroStates() {
    try (Sequential m = lstm(4);
        StreamingForecaster f = StreamingForecaster.of(m);
        ForecastStream s = f.open()) {
      float[] first = s.push(point(0));
      assertNotEquals(Arrays.toString(first), Arrays.toString(s.push(point(0))));
      s.reset();
      assertEquals(0, s.steps());
      assertArrayEquals(first, s.push(point(0)));
    }
  }

  @Test
  void aStateOfAnotherModelOrMalformedBytesIsRefusedNamingWhy() {
    try (Sequential small = lstm(4);
        Sequential large = lstm(5);
        StreamingForecaster f = StreamingForecaster.of(small);
        StreamingForecaster g = StreamingForecaster.of(large)) {
      ForecastStream s = f.open();
      ForecastStream other = g.open();
      other.push(point(0));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> s.restore(other.snapshot()));
      assertTrue(e.getMessage().contains("has 5 values, this model's has 4"), e.getMessage());
      byte[] bytes = other.snapshot().toBytes();
      assertThrows(
          IllegalArgumentException.class,
          () -> StreamState.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
      assertThrows(IllegalArgumentException.class, () -> StreamState.fromBytes(new byte[12]));
      assertThrows(IllegalArgumentException.class, () -> s.restore(null));
      assertEquals(0, s.steps());
    }
  }

  @Test
  void badObservationsAreRefusedBeforeTheStateChanges() {
    try (Sequential m = lstm(4);
        StreamingForecaster f = StreamingForecaster.of(m);
        ForecastStream s = f.open()) {
      s.push(point(0));
      StreamState before = s.snapshot();
      IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> s.push(1f));
      assertTrue(len.getMessage().contains("2 value(s)"), len.getMessage());
      IllegalArgumentException nan =
          assertThrows(IllegalArgumentException.class, () -> s.push(1f, Float.NaN));
      assertTrue(nan.getMessage().contains("value 1 is NaN"), nan.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> s.warmUp(new NDArray(Shape.of(3, 1), new float[3])));
      assertThrows(
          IllegalArgumentException.class,
          () -> f.push(List.of(s, s), new float[][] {point(1), point(2)}));
      assertThrows(IllegalArgumentException.class, () -> f.push(List.of(s), new float[][] {{1f}}));
      assertEquals(before, s.snapshot());
    }
  }

  @Test
  void closedStreamsAndForecastersRefuseCallsAndAForeignStreamIsRefused() {
    try (Sequential m = lstm(4)) {
      StreamingForecaster f = StreamingForecaster.of(m);
      StreamingForecaster g = StreamingForecaster.of(m);
      ForecastStream s = f.open();
      ForecastStream t = f.open();
      ForecastStream foreign = g.open();
      assertThrows(
          IllegalArgumentException.class, () -> f.push(List.of(foreign), new float[][] {point(0)}));
      s.close();
      s.close();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.push(point(0)));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      assertEquals(1, f.openStreams());
      f.close();
      assertTrue(t.isClosed());
      assertThrows(IllegalStateException.class, f::open);
      assertThrows(IllegalStateException.class, () -> t.snapshot());
      g.close();
    }
  }

  @Test
  void whichModelsStreamIncrementally() {
    Sequential flat = new Sequential(new Flatten(), new Dense(1)).backend(CPU);
    Sequential stateful = new Sequential(new GRU(3).stateful(true), new Dense(1)).backend(CPU);
    Sequential encoderDecoder =
        new Sequential(
                new GRU(3), new RepeatVector(4), new GRU(3).returnSequences(true), new Dense(1))
            .backend(CPU);
    try (flat;
        stateful;
        encoderDecoder) {
      assertThrows(IllegalArgumentException.class, () -> StreamingForecaster.of(flat));
      flat.build(Shape.of(5, 1));
      try (StreamingForecaster f = StreamingForecaster.of(flat)) {
        assertEquals(StreamMode.FULL_WINDOW, f.mode());
        assertEquals(5, f.window());
        assertTrue(f.modeReason().contains("Flatten"), f.modeReason());
      }
      try (Sequential wavenet = ChapterModels.named("wavenet").build(2).backend(CPU);
          Sequential strided = ChapterModels.named("conv-gru").build(2).backend(CPU);
          Sequential centred =
              new Sequential(new Conv1D(3, 3).padding(ConvPadding.SAME), new GRU(2), new Dense(1))
                  .backend(CPU)) {
        wavenet.build(Shape.of(8, 1));
        strided.build(Shape.of(8, 1));
        centred.build(Shape.of(8, 1));
        try (StreamingForecaster w = StreamingForecaster.of(wavenet);
            StreamingForecaster s = StreamingForecaster.of(strided);
            StreamingForecaster c = StreamingForecaster.of(centred)) {
          assertEquals(StreamMode.INCREMENTAL, w.mode(), "causal convolutions keep queues");
          assertEquals(StreamMode.INCREMENTAL, s.mode(), "a strided convolution keeps its phase");
          // a 'same' convolution's output at t reads inputs after t
          assertEquals(StreamMode.FULL_WINDOW, c.mode());
          assertTrue(c.modeReason().contains("layer 0 (Conv1D)"), c.modeReason());
        }
      }
      stateful.build(Shape.of(5, 1));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StreamingForecaster.of(stateful));
      assertTrue(e.getMessage().contains("stateful"), e.getMessage());
      // the decoder after RepeatVector starts from zeros at every point, as in predict
      encoderDecoder.build(Shape.of(5, 1));
      try (StreamingForecaster f = StreamingForecaster.of(encoderDecoder);
          ForecastStream s = f.open()) {
        assertEquals(StreamMode.INCREMENTAL, f.mode());
        float[] x = {0.1f, -0.4f, 0.8f};
        float[] out = null;
        for (float v : x) {
          out = s.push(v);
        }
        NDArray batch = encoderDecoder.predict(new NDArray(Shape.of(1, 3, 1), x), 1);
        assertEquals(4, out.length);
        dev.timestep.testing.TestArrays.assertAllClose("decoder", batch.data(), out, 1e-6, 1e-6);
      }
    }
  }
}
