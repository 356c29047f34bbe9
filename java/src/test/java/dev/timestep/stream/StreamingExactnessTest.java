package dev.timestep.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.backend.Backend;
import dev.timestep.backend.ConvPadding;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.models.ChapterModel;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chapter model streamed point by point gives what {@code predict} gives over the growing
 * window (the last {@code window} points for a full-window model); so do a warm-up followed by
 * pushes, and one batched push of several streams. Bit for bit on the reference backend, whose
 * arithmetic per step does not depend on how many steps or rows a call has. Within 1e-6 on cpu and
 * cuda (skipped without a device): their input projection is one GEMM over all batch·time rows, and
 * its register-blocked paths for several rows sum in another order than the one-row path, so a call
 * of one step and one of many steps (or one row and many rows) differ in the last bits.
 */
class StreamingExactnessTest {
  private static final int STEPS = 13;
  private static final int HORIZON = 3;

  static Stream<Arguments> modelsAndBackends() {
    List<Arguments> out = new ArrayList<>();
    for (ChapterModel m : ChapterModels.all()) {
      out.add(Arguments.of(m.name(), "reference"));
      out.add(Arguments.of(m.name(), "cpu"));
      out.add(Arguments.of(m.name(), "cuda"));
    }
    return out.stream();
  }

  private static Backend backend(String name) {
    return switch (name) {
      case "reference" -> ReferenceBackend.float32();
      case "cpu" -> CpuBackend.get();
      default -> {
        CudaTests.assumeUsable();
        yield CudaBackend.get();
      }
    };
  }

  private static Sequential model(String name, Backend b, int window) {
    Sequential m = ChapterModels.named(name).build(HORIZON).backend(b).seed(7);
    m.build(Shape.of(window, 1));
    return m;
  }

  private static float[] series(long seed, int steps) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, steps).data();
  }

  /**
   * predict over points [from, to) of the series as one sample; its last step when it has steps.
   */
  private static float[] batchForecast(
      Sequential m, float[] x, int from, int to, boolean lastStep) {
    NDArray out =
        m.predict(new NDArray(Shape.of(1, to - from, 1), Arrays.copyOfRange(x, from, to)), 1);
    if (!lastStep || out.shape().rank() < 3) {
      return out.data();
    }
    int width = out.dim(2);
    return Arrays.copyOfRange(out.data(), (out.dim(1) - 1) * width, out.dim(1) * width);
  }

  private static void assertSame(String backend, String what, float[] expected, float[] actual) {
    if (!backend.equals("reference")) {
      TestArrays.assertAllClose(what, expected, actual, 1e-6, 1e-6);
    } else {
      assertArrayEquals(expected, actual, what);
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("modelsAndBackends")
  void pushingPointByPointEqualsPredictOverTheGrowingWindow(String name, String backend) {
    Backend b = backend(backend);
    int window = ChapterModels.named(name).stridedOutput() ? 8 : 6;
    try (Sequential m = model(name, b, window);
        StreamingForecaster f = StreamingForecaster.of(m);
        ForecastStream s = f.open()) {
      boolean incremental = f.mode() == StreamMode.INCREMENTAL;
      float[] x = series(3, STEPS);
      for (int t = 1; t <= STEPS; t++) {
        float[] streamed = s.push(x[t - 1]);
        if (!incremental && t < window) {
          assertEquals(0, streamed.length, "no forecast before the window is full");
          continue;
        }
        if (streamed.length == 0) {
          // a 'valid' convolution has no output before its span is full: nor has predict
          int points = t;
          assertThrows(
              IllegalArgumentException.class,
              () -> batchForecast(m, x, 0, points, true),
              name + " gave no forecast after " + t + " points, but predict has one");
          continue;
        }
        int from = incremental ? 0 : t - window;
        assertSame(
            backend,
            name + " after " + t + " points",
            batchForecast(m, x, from, t, incremental),
            streamed);
      }
      assertEquals(STEPS, s.steps());
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("modelsAndBackends")
  void aWarmUpThenPushesEqualsPushingEveryPoint(String name, String backend) {
    Backend b = backend(backend);
    int window = ChapterModels.named(name).stridedOutput() ? 8 : 6;
    try (Sequential m = model(name, b, window);
        StreamingForecaster f = StreamingForecaster.of(m);
        ForecastStream warm = f.open();
        ForecastStream pushed = f.open()) {
      float[] x = series(5, STEPS);
      float[] last = null;
      for (int t = 0; t < 9; t++) {
        last = pushed.push(x[t]);
      }
      float[] afterWarmUp = warm.warmUp(new NDArray(Shape.of(9, 1), Arrays.copyOf(x, 9)));
      if (f.mode() == StreamMode.INCREMENTAL) {
        // one fused pass over 9 steps against 9 one-step passes: on a CPU backend the same sums
        assertSame(backend, name + " warm-up", last, afterWarmUp);
      } else {
        assertArrayEquals(last, afterWarmUp, name + " warm-up");
      }
      for (int t = 9; t < STEPS; t++) {
        assertSame(backend, name + " point " + t, pushed.push(x[t]), warm.push(x[t]));
      }
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("modelsAndBackends")
  void oneBatchedPushOfManyStreamsEqualsEachStreamAlone(String name, String backend) {
    Backend b = backend(backend);
    int window = ChapterModels.named(name).stridedOutput() ? 8 : 6;
    int streams = 5;
    try (Sequential m = model(name, b, window);
        StreamingForecaster f = StreamingForecaster.of(m)) {
      List<ForecastStream> batched = new ArrayList<>();
      List<ForecastStream> alone = new ArrayList<>();
      float[][] x = new float[streams][];
      for (int i = 0; i < streams; i++) {
        batched.add(f.open());
        alone.add(f.open());
        x[i] = series(100 + i, STEPS);
      }
      for (int t = 0; t < STEPS; t++) {
        float[][] points = new float[streams][];
        for (int i = 0; i < streams; i++) {
          points[i] = new float[] {x[i][t]};
        }
        float[][] out = f.push(batched, points);
        for (int i = 0; i < streams; i++) {
          assertSame(
              backend, name + " stream " + i + " point " + t, alone.get(i).push(x[i][t]), out[i]);
        }
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"reference", "cpu"})
  void streamsAtDifferentPhasesOfAStridedConvolutionShareOneBatchedPush(String backend) {
    Backend b = backend(backend);
    try (Sequential m = model("conv-gru", b, 8);
        StreamingForecaster f = StreamingForecaster.of(m)) {
      int streams = 4;
      List<ForecastStream> batched = new ArrayList<>();
      List<ForecastStream> alone = new ArrayList<>();
      float[][] x = new float[streams][];
      for (int i = 0; i < streams; i++) {
        batched.add(f.open());
        alone.add(f.open());
        x[i] = series(200 + i, STEPS + streams);
        // stream i starts i points ahead: 4, 5, 6, 7 points, every phase of stride 2 and the
        // first output (at 4 points, the kernel's span) on both sides
        NDArray head = new NDArray(Shape.of(4 + i, 1), Arrays.copyOf(x[i], 4 + i));
        assertSame(backend, "warm-up " + i, alone.get(i).warmUp(head), batched.get(i).warmUp(head));
      }
      for (int t = 0; t < STEPS - 4; t++) {
        float[][] points = new float[streams][];
        for (int i = 0; i < streams; i++) {
          points[i] = new float[] {x[i][4 + i + t]};
        }
        float[][] out = f.push(batched, points);
        for (int i = 0; i < streams; i++) {
          float[] one = alone.get(i).push(points[i][0]);
          assertSame(backend, "stream " + i + " point " + t, one, out[i]);
          int seen = 5 + i + t;
          assertSame(
              backend,
              "stream " + i + " against predict after " + seen + " points",
              batchForecast(m, x[i], 0, seen, true),
              one);
        }
      }
      // a snapshot between two outputs keeps the phase and the forecast it repeats
      ForecastStream s = alone.get(1);
      StreamState parked = s.snapshot();
      float[] next = s.push(0.25f);
      float[] after = s.push(-0.5f);
      try (ForecastStream r = f.open()) {
        r.restore(StreamState.fromBytes(parked.toBytes()));
        assertArrayEquals(next, r.push(0.25f));
        assertArrayEquals(after, r.push(-0.5f));
      }
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "causal-stride-3,reference",
    "causal-stride-3,cpu",
    "valid-stride-1,reference",
    "valid-stride-1,cpu"
  })
  void causalStridedAndValidConvolutionsStreamInStepWithPredict(String kind, String backend) {
    Backend b = backend(backend);
    Conv1D conv =
        kind.startsWith("causal")
            ? new Conv1D(5, 3).strides(3).padding(ConvPadding.CAUSAL)
            : new Conv1D(5, 3).padding(ConvPadding.VALID);
    try (Sequential m =
            new Sequential(conv, new GRU(4).returnSequences(true), new Dense(2))
                .backend(b)
                .seed(11);
        StreamingForecaster f = buildAndStream(m);
        ForecastStream s = f.open()) {
      assertEquals(StreamMode.INCREMENTAL, f.mode());
      float[] x = series(21, STEPS);
      for (int t = 1; t <= STEPS; t++) {
        float[] streamed = s.push(x[t - 1]);
        if (kind.startsWith("valid") && t < 3) {
          assertEquals(0, streamed.length, "no output before the span is full");
          continue;
        }
        assertSame(backend, kind + " after " + t, batchForecast(m, x, 0, t, true), streamed);
      }
    }
  }

  private static StreamingForecaster buildAndStream(Sequential m) {
    m.build(Shape.of(6, 1));
    return StreamingForecaster.of(m);
  }
}
