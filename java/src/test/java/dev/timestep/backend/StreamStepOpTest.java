package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused streaming step ({@link Backend#streamStep}). It is inference only (no gradient), so its
 * oracle is the batch ops it fuses: on the reference backend, stepping streams point by point
 * equals the recurrent op run over each stream's whole sequence, then the dense layer on the last
 * step, and a stack of causal convolutions equals the conv op over the sequence, bit for bit. Every
 * native backend agrees with the reference on random odd sizes, for batches of slots given out of
 * order over several chunks (cuda SKIPPED without a device); and the checks refuse bad slots,
 * counts and arrays before any native call.
 */
class StreamStepOpTest {
  private static final int STEPS = 5;

  private final SplittableRandom random = new SplittableRandom(0x57EA);
  private Scope scope;

  @BeforeEach
  void openScope() {
    scope = new Scope();
  }

  @AfterEach
  void closeScope() {
    scope.close();
  }

  static Stream<Arguments> kinds() {
    List<Arguments> out = new ArrayList<>();
    for (RecurrentKind kind : RecurrentKind.values()) {
      out.add(Arguments.of(kind, kind == RecurrentKind.LAYER_NORM_SIMPLE ? "RELU" : "TANH"));
    }
    out.add(Arguments.of(RecurrentKind.SIMPLE, "SIGMOID"));
    return out.stream();
  }

  static Stream<Arguments> nativeCases() {
    List<Arguments> out = new ArrayList<>();
    for (String backend : List.of(CpuBackend.NAME, CudaBackend.NAME)) {
      for (RecurrentKind kind : RecurrentKind.values()) {
        out.add(Arguments.of(backend, kind));
      }
    }
    return out.stream();
  }

  private static Backend backend(String name) {
    if (name.equals(CudaBackend.NAME)) {
      CudaTests.assumeUsable();
      return CudaBackend.get();
    }
    return name.equals(CpuBackend.NAME) ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** Random weights of one stack, as heap arrays, so that every backend gets the same. */
  private record Weights(List<NDArray[]> recurrent, NDArray denseKernel, NDArray denseBias) {}

  private Weights weights(RecurrentKind kind, int features, int[] units, int outputs) {
    List<NDArray[]> layers = new ArrayList<>();
    int in = features;
    for (int h : units) {
      int gh = kind.gates() * h;
      int cell = kind.cellWeightsSize(h);
      layers.add(
          new NDArray[] {
            TestArrays.uniform(random, -0.6, 0.6, in, gh),
            TestArrays.uniform(random, -0.6, 0.6, h, gh),
            TestArrays.uniform(random, -0.3, 0.3, gh),
            cell == 0 ? null : TestArrays.uniform(random, 0.5, 1.2, cell)
          });
      in = h;
    }
    return new Weights(
        layers,
        TestArrays.uniform(random, -0.5, 0.5, in, outputs),
        TestArrays.uniform(random, -0.2, 0.2, outputs));
  }

  private StreamStack stack(
      Backend b, RecurrentKind kind, Activation act, Activation head, int features, Weights w) {
    StreamStack.Builder builder = StreamStack.builder(features);
    for (NDArray[] l : w.recurrent()) {
      builder.recurrent(
          kind,
          act,
          RecurrentParams.of(
              kind,
              b.upload(l[0], scope),
              b.upload(l[1], scope),
              b.upload(l[2], scope),
              l[3] == null ? null : b.upload(l[3], scope)));
    }
    return builder
        .dense(b.upload(w.denseKernel(), scope), b.upload(w.denseBias(), scope), head)
        .build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kinds")
  void onTheReferenceSteppingEqualsTheBatchOpsOverTheWholeSequence(
      RecurrentKind kind, String activation) {
    Backend b = ReferenceBackend.float32();
    Activation act = Activation.valueOf(activation);
    int features = 3;
    int[] units = {7, 5};
    int outputs = 4;
    int streams = 3;
    Weights w = weights(kind, features, units, outputs);
    StreamStack stack = stack(b, kind, act, Activation.SIGMOID, features, w);
    NDArray x = TestArrays.uniform(random, -1, 1, streams, STEPS, features);
    try (StreamSlab slab = b.streamSlab(stack, 2)) {
      slab.grow();
      slab.grow();
      int[] slots = {3, 0, 2}; // out of order, over both chunks
      float[] y = new float[streams * outputs];
      for (int t = 0; t < STEPS; t++) {
        b.streamStep(slab, slots, streams, stepOf(x, t), y);
        float[] expected = batchForecast(b, kind, act, w, x, t + 1);
        assertArrayEquals(expected, y, kind + " after " + (t + 1) + " steps");
      }
    }
  }

  /** Step t of x [B, T, F], as [B·F]. */
  private static float[] stepOf(NDArray x, int t) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    int f = x.dim(2);
    float[] out = new float[batch * f];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(x.data(), (i * steps + t) * f, out, i * f, f);
    }
    return out;
  }

  /** The recurrent op over the first `steps` steps, layer by layer, then the dense head. */
  private float[] batchForecast(
      Backend b, RecurrentKind kind, Activation act, Weights w, NDArray x, int steps) {
    int batch = x.dim(0);
    int f = x.dim(2);
    float[] prefix = new float[batch * steps * f];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(x.data(), i * x.dim(1) * f, prefix, i * steps * f, steps * f);
    }
    Tensor in = b.upload(new NDArray(Shape.of(batch, steps, f), prefix), scope);
    for (NDArray[] l : w.recurrent()) {
      int h = l[1].dim(0);
      Tensor out = b.allocate(Shape.of(batch, steps, h), scope);
      Tensor cache = b.allocate(Shape.of(Math.max(1, batch * steps * kind.cacheRow(h))), scope);
      b.recurrentForward(
          kind,
          act,
          in,
          b.allocate(Shape.of(batch, h), scope),
          RecurrentParams.of(
              kind,
              b.upload(l[0], scope),
              b.upload(l[1], scope),
              b.upload(l[2], scope),
              l[3] == null ? null : b.upload(l[3], scope)),
          out,
          cache);
      in = out;
    }
    int h = in.dim(2);
    Tensor last = b.allocate(Shape.of(batch, h), scope);
    b.lastStep(in, last);
    int outputs = w.denseKernel().dim(1);
    Tensor y = b.allocate(Shape.of(batch, outputs), scope);
    b.matmul(last, false, b.upload(w.denseKernel(), scope), false, y, false);
    b.addBias(y, b.upload(w.denseBias(), scope), y);
    b.activation(Activation.SIGMOID, y, y);
    return b.download(y).data();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("nativeCases")
  void everyNativeBackendMatchesTheReferenceOnOddSizesAndSlotsOutOfOrder(
      String name, RecurrentKind kind) {
    Backend b = backend(name);
    Backend ref = ReferenceBackend.float32();
    Activation act = kind == RecurrentKind.LAYER_NORM_SIMPLE ? Activation.RELU : Activation.TANH;
    for (int[] units : new int[][] {{7}, {13, 20}, {20, 7, 13}}) {
      for (int streams : new int[] {1, 3, 17}) {
        int features = 1 + random.nextInt(3);
        int outputs = 1 + random.nextInt(10);
        Weights w = weights(kind, features, units, outputs);
        StreamStack onRef = stack(ref, kind, act, Activation.TANH, features, w);
        StreamStack onNative = stack(b, kind, act, Activation.TANH, features, w);
        try (StreamSlab r = ref.streamSlab(onRef, 5);
            StreamSlab n = b.streamSlab(onNative, 5)) {
          while (r.capacity() < 2 * streams) {
            r.grow();
            n.grow();
          }
          int[] slots = shuffledSlots(streams, r.capacity());
          String what = name + " " + kind + " units " + Arrays.toString(units) + " x" + streams;
          for (int t = 0; t < 4; t++) {
            float[] x = TestArrays.uniform(random, -1, 1, streams * features).data();
            float[] want = new float[streams * outputs];
            float[] got = new float[streams * outputs];
            ref.streamStep(r, slots, streams, x, want);
            b.streamStep(n, slots, streams, x, got);
            TestArrays.assertAllClose(what + " step " + t, want, got, 2e-5, 1e-4);
          }
          for (int s : slots) {
            TestArrays.assertAllClose(
                what + " states of slot " + s,
                ref.download(r.row(s)).data(),
                b.download(n.row(s)).data(),
                2e-5,
                1e-4);
          }
        }
      }
    }
  }

  /** `count` distinct slots in [0, capacity), in a random order. */
  private int[] shuffledSlots(int count, int capacity) {
    int[] all = new int[capacity];
    for (int i = 0; i < capacity; i++) {
      all[i] = i;
    }
    for (int i = capacity - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    return Arrays.copyOf(all, count);
  }

  /** A WaveNet-like stack's weights: kernels [K, in, out] and biases (null: none). */
  private record ConvWeights(List<NDArray> kernels, List<NDArray> biases, int[] dilations) {}

  private ConvWeights convWeights(int features, int filters, int outputs) {
    int[] dilations = {1, 2, 4, 1};
    int[] sizes = {2, 2, 3, 1};
    List<NDArray> kernels = new ArrayList<>();
    List<NDArray> biases = new ArrayList<>();
    int in = features;
    for (int l = 0; l < dilations.length; l++) {
      int out = l == dilations.length - 1 ? outputs : filters;
      kernels.add(TestArrays.uniform(random, -0.5, 0.5, sizes[l], in, out));
      biases.add(l == 2 ? null : TestArrays.uniform(random, -0.2, 0.2, out));
      in = out;
    }
    return new ConvWeights(kernels, biases, dilations);
  }

  private static final Activation[] CONV_ACTS = {
    Activation.RELU, Activation.TANH, Activation.SIGMOID, Activation.LINEAR
  };

  private StreamStack convStack(Backend b, int features, ConvWeights w) {
    StreamStack.Builder builder = StreamStack.builder(features);
    for (int l = 0; l < w.kernels().size(); l++) {
      NDArray bias = w.biases().get(l);
      builder.conv(
          b.upload(w.kernels().get(l), scope),
          bias == null ? null : b.upload(bias, scope),
          CONV_ACTS[l],
          w.dilations()[l]);
    }
    return builder.build();
  }

  @Test
  void onTheReferenceSteppingCausalConvolutionsEqualsTheConvOpOverTheWholeSequence() {
    Backend b = ReferenceBackend.float32();
    int features = 2;
    int streams = 3;
    ConvWeights w = convWeights(features, 5, 3);
    StreamStack stack = convStack(b, features, w);
    assertEquals(2 * 1 + 5 * 2 + 5 * 2 * 4, stack.rowFloats(), "the queues of 1, 2 and 8 steps");
    int steps = 11; // longer than the receptive field (1 + 1 + 2 + 8)
    NDArray x = TestArrays.uniform(random, -1, 1, streams, steps, features);
    try (StreamSlab slab = b.streamSlab(stack, 2)) {
      slab.grow();
      slab.grow();
      int[] slots = {2, 3, 0};
      float[] y = new float[streams * 3];
      for (int t = 0; t < steps; t++) {
        b.streamStep(slab, slots, streams, stepOf(x, t), y);
        assertArrayEquals(convForecast(b, w, x, t + 1), y, "after " + (t + 1) + " steps");
      }
    }
  }

  /** The causal conv op layer by layer over the first `steps` steps; the last step. */
  private float[] convForecast(Backend b, ConvWeights w, NDArray x, int steps) {
    int batch = x.dim(0);
    int f = x.dim(2);
    float[] prefix = new float[batch * steps * f];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(x.data(), i * x.dim(1) * f, prefix, i * steps * f, steps * f);
    }
    Tensor in = b.upload(new NDArray(Shape.of(batch, steps, f), prefix), scope);
    for (int l = 0; l < w.kernels().size(); l++) {
      NDArray k = w.kernels().get(l);
      int pad = (k.dim(0) - 1) * w.dilations()[l];
      Tensor out = b.allocate(Shape.of(batch, steps, k.dim(2)), scope);
      NDArray bias = w.biases().get(l);
      b.conv1d(
          in,
          b.upload(k, scope),
          bias == null ? null : b.upload(bias, scope),
          new Conv1dSpec(k.dim(0), 1, w.dilations()[l], pad, steps, CONV_ACTS[l]),
          out);
      in = out;
    }
    Tensor last = b.allocate(Shape.of(batch, in.dim(2)), scope);
    b.lastStep(in, last);
    return b.download(last).data();
  }

  static Stream<String> nativeNames() {
    return Stream.of(CpuBackend.NAME, CudaBackend.NAME);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeNames")
  void causalConvolutionsOnEveryNativeBackendMatchTheReference(String name) {
    Backend b = backend(name);
    Backend ref = ReferenceBackend.float32();
    for (int streams : new int[] {1, 3, 17}) {
      int features = 1 + random.nextInt(3);
      ConvWeights w = convWeights(features, streams == 17 ? 20 : 7, 10);
      try (StreamSlab r = ref.streamSlab(convStack(ref, features, w), 4);
          StreamSlab n = b.streamSlab(convStack(b, features, w), 4)) {
        while (r.capacity() < 2 * streams) {
          r.grow();
          n.grow();
        }
        int[] slots = shuffledSlots(streams, r.capacity());
        for (int t = 0; t < 12; t++) {
          float[] x = TestArrays.uniform(random, -1, 1, streams * features).data();
          float[] want = new float[streams * 10];
          float[] got = new float[streams * 10];
          ref.streamStep(r, slots, streams, x, want);
          b.streamStep(n, slots, streams, x, got);
          TestArrays.assertAllClose(name + " x" + streams + " step " + t, want, got, 2e-5, 1e-4);
        }
        for (int s : slots) {
          TestArrays.assertAllClose(
              "queues of " + s,
              ref.download(r.row(s)).data(),
              b.download(n.row(s)).data(),
              2e-5,
              1e-4);
        }
      }
    }
  }

  @Test
  void aStepTouchesOnlyItsOwnSlotsRows() {
    Backend b = CpuBackend.get();
    Weights w = weights(RecurrentKind.LSTM, 1, new int[] {4}, 2);
    StreamStack stack = stack(b, RecurrentKind.LSTM, Activation.TANH, Activation.LINEAR, 1, w);
    try (StreamSlab slab = b.streamSlab(stack, 3)) {
      slab.grow();
      b.streamStep(slab, new int[] {1}, 1, new float[] {0.5f}, new float[2]);
      assertArrayEquals(new float[8], b.download(slab.row(0)).data());
      assertArrayEquals(new float[8], b.download(slab.row(2)).data());
      assertTrue(Arrays.stream(box(b.download(slab.row(1)).data())).anyMatch(v -> v != 0));
    }
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backendNames")
  void badSlotsCountsAndArraysAreRefusedBeforeTheNativeCall(String name) {
    Backend b = backend(name);
    Weights w = weights(RecurrentKind.GRU, 2, new int[] {3}, 2);
    StreamStack stack = stack(b, RecurrentKind.GRU, Activation.TANH, Activation.LINEAR, 2, w);
    StreamSlab slab = b.streamSlab(stack, 4);
    slab.grow();
    float[] x = new float[4];
    float[] y = new float[4];
    assertMessage("outside the slab's [0, 4)", () -> b.streamStep(slab, new int[] {4}, 1, x, y));
    assertMessage("outside the slab's", () -> b.streamStep(slab, new int[] {-1}, 1, x, y));
    assertMessage("appears twice", () -> b.streamStep(slab, new int[] {2, 2}, 2, x, y));
    assertMessage("count 3 is outside [0, 2]", () -> b.streamStep(slab, new int[] {0, 1}, 3, x, y));
    assertMessage(
        "need x of 4 and y of 4 floats, got 3",
        () -> b.streamStep(slab, new int[] {0, 1}, 2, new float[3], y));
    assertMessage("must not be null", () -> b.streamStep(slab, null, 1, x, y));
    Backend other = name.equals("reference") ? CpuBackend.get() : ReferenceBackend.float32();
    assertMessage("the slab lives on", () -> other.streamStep(slab, new int[] {0}, 1, x, y));
    float[] before = b.download(slab.row(0)).data();
    slab.close();
    IllegalStateException closed =
        assertThrows(IllegalStateException.class, () -> b.streamStep(slab, new int[] {0}, 1, x, y));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    assertThrows(IllegalStateException.class, slab::grow);
    assertEquals(3, before.length, "a GRU(3) row holds h alone");
  }

  static Stream<String> backendNames() {
    return Stream.of("reference", CpuBackend.NAME, CudaBackend.NAME);
  }

  @Test
  void theBuilderRefusesWeightsThatDoNotChain() {
    Backend b = ReferenceBackend.float32();
    Tensor k = b.allocate(Shape.of(2, 12), scope);
    Tensor u = b.allocate(Shape.of(3, 12), scope);
    Tensor bias = b.allocate(Shape.of(12), scope);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamStack.builder(3)
                    .recurrent(
                        RecurrentKind.LSTM, Activation.TANH, new RecurrentParams(k, u, bias)));
    assertTrue(e.getMessage().contains("kernel must be [3, 12]"), e.getMessage());
    StreamStack.Builder ok =
        StreamStack.builder(2)
            .recurrent(RecurrentKind.LSTM, Activation.TANH, new RecurrentParams(k, u, bias));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ok.dense(b.allocate(Shape.of(4, 1), scope), null, Activation.LINEAR));
    assertTrue(e.getMessage().contains("must be [3, 1]"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> StreamStack.builder(1).build());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamStack.builder(2)
                    .conv(b.allocate(Shape.of(2, 3, 4), scope), null, Activation.RELU, 1));
    assertTrue(e.getMessage().contains("must be [2, 2, 4]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamStack.builder(3)
                    .conv(b.allocate(Shape.of(2, 3, 4), scope), null, Activation.RELU, 0));
    assertTrue(e.getMessage().contains("dilation at least 1"), e.getMessage());
    StreamStack s = ok.build();
    assertEquals(6, s.rowFloats(), "LSTM(3) keeps h and c");
    assertEquals(3, s.outputs());
  }

  private static void assertMessage(String part, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(part), () -> "'" + part + "' not in: " + e.getMessage());
  }
}
