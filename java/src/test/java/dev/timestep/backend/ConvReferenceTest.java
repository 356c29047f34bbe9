package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.Float64OpTest;
import dev.timestep.testing.TestArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference of the fused Conv1D op ({@link ReferenceBackend}, the oracle) on its own:
 *
 * <ul>
 *   <li>the output length and left padding {@link ConvPadding} derives for valid, same and causal
 *       padding, and its refusals;
 *   <li>small cases (one channel unless the case is about the [K, Cin, Cout] layout) whose expected
 *       outputs and gradients are written out by hand below, independent of the code under test;
 *       weights like {1, 10, 100} make each output's digits spell out which inputs it read;
 *   <li>every gradient (dx, dkernel, dbias) against central finite differences on {@link
 *       ReferenceBackend#float64()}: loss L = sum(y ⊙ R) for a fixed random R (so dy = R), {@code
 *       eps = 1e-6}, agreement within {@code |analytic - numeric| <= 1e-6 · max(|a|, |n|) + 1e-9};
 *   <li>causality: with causal padding, y[:, <= t] does not depend on x[:, t + 1];
 *   <li>that gradients accumulate, that dx and dbias may be null;
 *   <li>the argument validation shared by all backends (run on reference and cpu).
 * </ul>
 */
class ConvReferenceTest extends Float64OpTest {
  static final double EPS = 1e-6;
  static final double RTOL = 1e-6;
  static final double ATOL = 1e-9;

  /** Hand-computed cases are in float64 with small integers or exact expressions. */
  static final double EXACT = 1e-12;

  ConvReferenceTest() {
    super(0xC0417DL);
  }

  // ---- float64 tensors -------------------------------------------------------------------

  private Tensor tensor(double[] values, int... dims) {
    return t64.of(values, dims);
  }

  private Tensor randomTensor(double lo, double hi, int... dims) {
    return t64.random(lo, hi, dims);
  }

  private double[] values(Tensor t) {
    return t64.values(t);
  }

  /** Forward on float64; y is pre-filled with garbage, which the op must overwrite. */
  private Tensor forward(Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec) {
    Tensor y = f64.allocate(Shape.of(x.dim(0), spec.outSteps(), kernel.dim(2)), scope);
    f64.fill(y, 123f);
    f64.conv1d(x, kernel, bias, spec, y);
    return y;
  }

  /** One-channel forward (B = 1, Cin = Cout = 1) of x with weights w and no bias, linear. */
  private double[] conv1(ConvPadding padding, int stride, int dilation, double[] x, double[] w) {
    Conv1dSpec spec = padding.spec(x.length, w.length, stride, dilation, Activation.LINEAR);
    return values(forward(tensor(x, 1, x.length, 1), tensor(w, w.length, 1, 1), null, spec));
  }

  private static double[] seq(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  // ---- output length and padding (ConvPadding) ---------------------------------------------

  static Stream<Arguments> lengths() {
    // padding, T, K, stride, dilation, expected outSteps, expected padLeft (worked out by hand)
    return Stream.of(
        Arguments.of(ConvPadding.VALID, 50, 4, 2, 1, 24, 0), // (50 - 3 - 1) / 2 + 1
        Arguments.of(
            ConvPadding.VALID,
            51,
            4,
            2,
            1,
            24,
            0), // (51 - 4) / 2 + 1 = 23 + 1: the odd step is dropped
        Arguments.of(ConvPadding.VALID, 4, 4, 1, 1, 1, 0), // kernel exactly as long as the input
        Arguments.of(ConvPadding.VALID, 50, 4, 1, 2, 44, 0), // span 7: 50 - 7 + 1
        Arguments.of(ConvPadding.VALID, 7, 3, 2, 2, 2, 0), // span 5: (7 - 5) / 2 + 1
        Arguments.of(ConvPadding.VALID, 1, 1, 3, 5, 1, 0), // K = 1 ignores the dilation
        Arguments.of(ConvPadding.SAME, 7, 3, 2, 1, 4, 1), // ceil(7/2) = 4; total = 6 + 3 - 7 = 2
        Arguments.of(ConvPadding.SAME, 7, 1, 2, 1, 4, 0), // total = 6 + 1 - 7 = 0
        Arguments.of(
            ConvPadding.SAME, 6, 3, 2, 1, 3, 0), // total = 4 + 3 - 6 = 1: the extra zero goes right
        Arguments.of(ConvPadding.SAME, 5, 2, 1, 1, 5, 0), // even K: total 1, all on the right
        Arguments.of(ConvPadding.SAME, 5, 4, 1, 1, 5, 1), // total 3: one left, two right
        Arguments.of(ConvPadding.SAME, 5, 3, 1, 1, 5, 1), // odd K: total 2, one each side
        Arguments.of(ConvPadding.SAME, 5, 3, 1, 2, 5, 2), // span 5: total 4
        Arguments.of(ConvPadding.SAME, 1, 4, 1, 1, 1, 1), // T shorter than the kernel: total 3
        Arguments.of(ConvPadding.SAME, 3, 4, 2, 8, 2, 12), // span 25: total = 2 + 25 - 3 = 24
        Arguments.of(ConvPadding.CAUSAL, 5, 2, 1, 4, 5, 4),
        Arguments.of(ConvPadding.CAUSAL, 7, 3, 2, 1, 4, 2), // (7 - 1) / 2 + 1
        Arguments.of(ConvPadding.CAUSAL, 1, 4, 1, 8, 1, 24),
        Arguments.of(ConvPadding.CAUSAL, 50, 1, 2, 1, 25, 0));
  }

  @ParameterizedTest(name = "{0} T={1} K={2} s={3} d={4} -> Tout={5}, padLeft={6}")
  @MethodSource("lengths")
  void paddingGivesTheKerasOutputLength(
      ConvPadding padding, int steps, int k, int stride, int dilation, int outSteps, int padLeft) {
    Conv1dSpec spec = padding.spec(steps, k, stride, dilation, Activation.TANH);
    assertEquals(outSteps, spec.outSteps(), "outSteps");
    assertEquals(padLeft, spec.padLeft(), "padLeft");
    assertEquals(k, spec.kernelSize());
    assertEquals(stride, spec.stride());
    assertEquals(dilation, spec.dilation());
    assertEquals(Activation.TANH, spec.activation());
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "message should mention '" + part + "': " + message);
    }
  }

  @Test
  void aKernelLongerThanAValidPaddedInputIsRefused() {
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvPadding.VALID.spec(3, 4, 1, 1, Activation.LINEAR))
            .getMessage();
    assertMentions(m, "spans 4 steps", "3 steps", "valid");
    // Dilation lengthens the span: K = 3, d = 3 spans 7 > 6.
    String m2 =
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvPadding.VALID.spec(6, 3, 1, 3, Activation.LINEAR))
            .getMessage();
    assertMentions(m2, "spans 7 steps", "6 steps");
    // The same shapes are fine with same or causal padding.
    assertEquals(3, ConvPadding.SAME.spec(3, 4, 1, 1, Activation.LINEAR).outSteps());
    assertEquals(6, ConvPadding.CAUSAL.spec(6, 3, 1, 3, Activation.LINEAR).outSteps());
  }

  @ParameterizedTest
  @EnumSource(ConvPadding.class)
  void zeroStrideDilationOrKernelSizeIsRefused(ConvPadding padding) {
    assertMentions(
        assertThrows(
                IllegalArgumentException.class, () -> padding.spec(10, 3, 0, 1, Activation.LINEAR))
            .getMessage(),
        "stride",
        "at least 1");
    assertMentions(
        assertThrows(
                IllegalArgumentException.class, () -> padding.spec(10, 3, 1, 0, Activation.LINEAR))
            .getMessage(),
        "dilation",
        "at least 1");
    assertMentions(
        assertThrows(
                IllegalArgumentException.class, () -> padding.spec(10, 0, 1, 1, Activation.LINEAR))
            .getMessage(),
        "kernel size",
        "at least 1");
    assertMentions(
        assertThrows(
                IllegalArgumentException.class, () -> padding.spec(0, 3, 1, 1, Activation.LINEAR))
            .getMessage(),
        "zero time steps");
  }

  @Test
  void badSettingsAreRefusedByTheRecordToo() {
    assertThrows(
        IllegalArgumentException.class, () -> new Conv1dSpec(3, 1, 1, -1, 5, Activation.LINEAR));
    assertThrows(
        IllegalArgumentException.class, () -> new Conv1dSpec(3, 1, 1, 0, 0, Activation.LINEAR));
    assertThrows(IllegalArgumentException.class, () -> new Conv1dSpec(3, 1, 1, 0, 5, null));
  }

  // ---- hand-computed forward cases ---------------------------------------------------------

  private static final double[] W3 = {1, 10, 100};

  @Test
  void validStrideOne() {
    // Tout = 3; y[t] = 0.5 x[t] - x[t+1] with x = 1..4.
    TestArrays.assertAllClose(
        "valid K=2",
        new double[] {0.5 - 2, 1 - 3, 1.5 - 4},
        conv1(ConvPadding.VALID, 1, 1, seq(4), new double[] {0.5, -1}),
        EXACT,
        EXACT);
  }

  @Test
  void validStrideTwo() {
    // T = 7, K = 3, s = 2: Tout = 3; y[t] = x[2t] + 10 x[2t+1] + 100 x[2t+2].
    TestArrays.assertAllClose(
        "valid K=3 s=2",
        new double[] {321, 543, 765},
        conv1(ConvPadding.VALID, 2, 1, seq(7), W3),
        EXACT,
        EXACT);
  }

  @Test
  void validDilationTwo() {
    // T = 7, K = 3, d = 2: span 5, Tout = 3; y[t] = x[t] + 10 x[t+2] + 100 x[t+4].
    TestArrays.assertAllClose(
        "valid K=3 d=2",
        new double[] {531, 642, 753},
        conv1(ConvPadding.VALID, 1, 2, seq(7), W3),
        EXACT,
        EXACT);
  }

  @Test
  void sameOddKernel() {
    // T = 5, K = 3: one zero each side; y[t] = x[t-1] + 10 x[t] + 100 x[t+1].
    TestArrays.assertAllClose(
        "same K=3",
        new double[] {210, 321, 432, 543, 54},
        conv1(ConvPadding.SAME, 1, 1, seq(5), W3),
        EXACT,
        EXACT);
  }

  @Test
  void sameEvenKernelsPadMoreOnTheRight() {
    // K = 2: total 1, on the right; y[t] = x[t] + 10 x[t+1].
    TestArrays.assertAllClose(
        "same K=2",
        new double[] {21, 32, 43, 54, 5},
        conv1(ConvPadding.SAME, 1, 1, seq(5), new double[] {1, 10}),
        EXACT,
        EXACT);
    // K = 4: one zero left, two right; y[t] = x[t-1] + 10 x[t] + 100 x[t+1] + 1000 x[t+2].
    TestArrays.assertAllClose(
        "same K=4",
        new double[] {3210, 4321, 5432, 543, 54},
        conv1(ConvPadding.SAME, 1, 1, seq(5), new double[] {1, 10, 100, 1000}),
        EXACT,
        EXACT);
  }

  @Test
  void sameWithStrideTwo() {
    // T = 7, K = 3, s = 2: Tout = 4, padLeft 1; y[t] = x[2t-1] + 10 x[2t] + 100 x[2t+1].
    TestArrays.assertAllClose(
        "same K=3 s=2 T=7",
        new double[] {210, 432, 654, 76},
        conv1(ConvPadding.SAME, 2, 1, seq(7), W3),
        EXACT,
        EXACT);
    // T = 6, K = 3, s = 2: Tout = 3, padLeft 0; y[t] = x[2t] + 10 x[2t+1] + 100 x[2t+2].
    TestArrays.assertAllClose(
        "same K=3 s=2 T=6",
        new double[] {321, 543, 65},
        conv1(ConvPadding.SAME, 2, 1, seq(6), W3),
        EXACT,
        EXACT);
    // T = 6, K = 2, s = 2: no padding at all; y[t] = x[2t] + 10 x[2t+1].
    TestArrays.assertAllClose(
        "same K=2 s=2 T=6",
        new double[] {21, 43, 65},
        conv1(ConvPadding.SAME, 2, 1, seq(6), new double[] {1, 10}),
        EXACT,
        EXACT);
  }

  @Test
  void sameWithASequenceShorterThanTheKernel() {
    // T = 2, K = 4: Tout 2, total = 1 + 4 - 2 = 3, padLeft 1; y[t] = x[t-1] + 10 x[t] + 100 x[t+1]
    // + 1000 x[t+2].
    TestArrays.assertAllClose(
        "same K=4 T=2",
        new double[] {210, 21},
        conv1(ConvPadding.SAME, 1, 1, seq(2), new double[] {1, 10, 100, 1000}),
        EXACT,
        EXACT);
  }

  @Test
  void causalWithDilation() {
    // T = 5, K = 2, d = 4: padLeft 4; y[t] = x[t-4] + 10 x[t].
    TestArrays.assertAllClose(
        "causal K=2 d=4",
        new double[] {10, 20, 30, 40, 51},
        conv1(ConvPadding.CAUSAL, 1, 4, seq(5), new double[] {1, 10}),
        EXACT,
        EXACT);
    // T = 5, K = 3, d = 1: y[t] = x[t-2] + 10 x[t-1] + 100 x[t].
    TestArrays.assertAllClose(
        "causal K=3",
        new double[] {100, 210, 321, 432, 543},
        conv1(ConvPadding.CAUSAL, 1, 1, seq(5), W3),
        EXACT,
        EXACT);
  }

  @Test
  void causalWithStrideTwo() {
    // T = 7, K = 3, s = 2: Tout 4, padLeft 2; y[t] = x[2t-2] + 10 x[2t-1] + 100 x[2t].
    TestArrays.assertAllClose(
        "causal K=3 s=2",
        new double[] {100, 321, 543, 765},
        conv1(ConvPadding.CAUSAL, 2, 1, seq(7), W3),
        EXACT,
        EXACT);
  }

  @Test
  void pointwiseKernelUsesTheCinCoutLayoutAndBias() {
    // K = 1, x [1, 3, 2], W [1, 2, 3] flat {w00, w01, w02, w10, w11, w12} = W[0, ci, co]; valid.
    double[] x = {1, 2, 3, 4, 5, 6};
    double[] w = {1, 10, 100, 1000, 10000, 100000};
    double[] bias = {0.5, -1, 2};
    double[] expected = new double[9];
    for (int t = 0; t < 3; t++) {
      double x0 = x[2 * t];
      double x1 = x[2 * t + 1];
      expected[3 * t] = 0.5 + x0 * 1 + x1 * 1000;
      expected[3 * t + 1] = -1 + x0 * 10 + x1 * 10000;
      expected[3 * t + 2] = 2 + x0 * 100 + x1 * 100000;
    }
    assertEquals(4003.5, expected[3], 0.0); // t = 1, co = 0: 0.5 + 3·1 + 4·1000
    Conv1dSpec spec = ConvPadding.VALID.spec(3, 1, 1, 1, Activation.LINEAR);
    double[] got = values(forward(tensor(x, 1, 3, 2), tensor(w, 1, 2, 3), tensor(bias, 3), spec));
    TestArrays.assertAllClose("K=1 Cin=2 Cout=3", expected, got, EXACT, EXACT);
  }

  @Test
  void kernelLayoutIsKCinCoutAndBatchesAreIndependent() {
    // B = 2, T = 2, Cin = 2, Cout = 2, K = 2, valid: Tout = 1 and
    // y[b, 0, co] = bias[co] + sum_{k, ci} x[b, k, ci] W[k, ci, co]; W flat over (k, ci, co) =
    // powers of two.
    double[] w = {1, 2, 4, 8, 16, 32, 64, 128};
    double[] x = {1, 2, 3, 4, /* batch 1 */ -1, 0, 0, 1};
    // batch 0: co 0 = 1·1 + 2·4 + 3·16 + 4·64 = 313, co 1 = 1·2 + 2·8 + 3·32 + 4·128 = 626
    // batch 1: co 0 = -1·1 + 1·64 = 63,               co 1 = -1·2 + 1·128 = 126
    double[] expected = {313 + 0.5, 626 - 0.5, 63 + 0.5, 126 - 0.5};
    Conv1dSpec spec = ConvPadding.VALID.spec(2, 2, 1, 1, Activation.LINEAR);
    double[] got =
        values(
            forward(
                tensor(x, 2, 2, 2), tensor(w, 2, 2, 2), tensor(new double[] {0.5, -0.5}, 2), spec));
    TestArrays.assertAllClose("B=2 K=2 Cin=2 Cout=2", expected, got, EXACT, EXACT);
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void theActivationAppliesAfterTheBias(Activation act) {
    // K = 1, w = 2, bias 0.25: z = {-1.75, 1.25}.
    double[] expected =
        switch (act) {
          case LINEAR -> new double[] {-1.75, 1.25};
          case TANH -> new double[] {Math.tanh(-1.75), Math.tanh(1.25)};
          case SIGMOID -> new double[] {1 / (1 + Math.exp(1.75)), 1 / (1 + Math.exp(-1.25))};
          case RELU -> new double[] {0, 1.25};
        };
    Conv1dSpec spec = ConvPadding.CAUSAL.spec(2, 1, 1, 1, act);
    double[] got =
        values(
            forward(
                tensor(new double[] {-1, 0.5}, 1, 2, 1),
                tensor(new double[] {2}, 1, 1, 1),
                tensor(new double[] {0.25}, 1),
                spec));
    TestArrays.assertAllClose(act + " after bias", expected, got, EXACT, EXACT);
  }

  // ---- hand-computed backward cases --------------------------------------------------------

  /** Runs backward with zeroed gradient buffers; returns {dx, dkernel, dbias}. */
  private double[][] backward(
      Tensor x, Tensor kernel, Tensor bias, Conv1dSpec spec, double[] dyValues) {
    Tensor y = forward(x, kernel, bias, spec);
    Tensor dy = tensor(dyValues, y.shape().dims());
    Tensor dx = f64.allocate(x.shape(), scope);
    Tensor dk = f64.allocate(kernel.shape(), scope);
    Tensor db = bias == null ? null : f64.allocate(bias.shape(), scope);
    f64.conv1dGrad(x, kernel, y, dy, spec, dx, dk, db);
    return new double[][] {values(dx), values(dk), db == null ? null : values(db)};
  }

  @Test
  void causalBackwardByHand() {
    // T = 3, K = 2, causal, linear: y[t] = 0.5 x[t-1] + 2 x[t] + b, x = {1, 2, 3}, dy = {1, 10,
    // 100}.
    // dW0 = sum_t x[t-1] dy[t] = 0 + 10 + 200; dW1 = sum_t x[t] dy[t] = 1 + 20 + 300; db = 111;
    // dx[i] = 2 dy[i] + 0.5 dy[i+1] = {2 + 5, 20 + 50, 200}.
    Conv1dSpec spec = ConvPadding.CAUSAL.spec(3, 2, 1, 1, Activation.LINEAR);
    double[][] g =
        backward(
            tensor(seq(3), 1, 3, 1),
            tensor(new double[] {0.5, 2}, 2, 1, 1),
            tensor(new double[] {0.3}, 1),
            spec,
            new double[] {1, 10, 100});
    TestArrays.assertAllClose("dx", new double[] {7, 70, 200}, g[0], EXACT, EXACT);
    TestArrays.assertAllClose("dkernel", new double[] {210, 321}, g[1], EXACT, EXACT);
    TestArrays.assertAllClose("dbias", new double[] {111}, g[2], EXACT, EXACT);
  }

  @Test
  void stridedBackwardLeavesUnreadInputsAtZero() {
    // T = 5, K = 2, s = 2, valid: Tout 2, y[t] = 0.5 x[2t] + 2 x[2t+1]; x[4] is never read.
    // dy = {1, 10}: dx = {0.5, 2, 5, 20, 0}; dW0 = x0 + 10 x2 = 31; dW1 = x1 + 10 x3 = 42.
    Conv1dSpec spec = ConvPadding.VALID.spec(5, 2, 2, 1, Activation.LINEAR);
    double[][] g =
        backward(
            tensor(seq(5), 1, 5, 1),
            tensor(new double[] {0.5, 2}, 2, 1, 1),
            null,
            spec,
            new double[] {1, 10});
    TestArrays.assertAllClose("dx", new double[] {0.5, 2, 5, 20, 0}, g[0], EXACT, EXACT);
    TestArrays.assertAllClose("dkernel", new double[] {31, 42}, g[1], EXACT, EXACT);
  }

  @Test
  void backwardTakesTheSlopeFromTheOutput() {
    // K = 1, tanh: y = tanh(w x + b), dz = dy (1 - y^2), dw = x dz, db = dz, dx = w dz.
    double x = 0.7;
    double w = -1.3;
    double b = 0.2;
    double dy = 2.5;
    double y = Math.tanh(w * x + b);
    double dz = dy * (1 - y * y);
    Conv1dSpec spec = ConvPadding.VALID.spec(1, 1, 1, 1, Activation.TANH);
    double[][] g =
        backward(
            tensor(new double[] {x}, 1, 1, 1),
            tensor(new double[] {w}, 1, 1, 1),
            tensor(new double[] {b}, 1),
            spec,
            new double[] {dy});
    TestArrays.assertAllClose("dx", new double[] {w * dz}, g[0], EXACT, EXACT);
    TestArrays.assertAllClose("dkernel", new double[] {x * dz}, g[1], EXACT, EXACT);
    TestArrays.assertAllClose("dbias", new double[] {dz}, g[2], EXACT, EXACT);
  }

  // ---- finite-difference gradient checks --------------------------------------------------

  /** One convolution problem on float64 tensors plus the fixed loss weights R (= dy). */
  private record Problem(Conv1dSpec spec, Tensor x, Tensor kernel, Tensor bias, Tensor r) {
    Map<String, Tensor> inputs() {
      Map<String, Tensor> m = new LinkedHashMap<>();
      m.put("x", x);
      m.put("kernel", kernel);
      if (bias != null) {
        m.put("bias", bias);
      }
      return m;
    }
  }

  private Problem problem(
      ConvPadding padding,
      int batch,
      int steps,
      int cin,
      int cout,
      int k,
      int stride,
      int dilation,
      Activation act,
      boolean withBias) {
    Conv1dSpec spec = padding.spec(steps, k, stride, dilation, act);
    Tensor x = randomTensor(-1, 1, batch, steps, cin);
    Tensor kernel = randomTensor(-1, 1, k, cin, cout);
    Tensor bias = withBias ? randomTensor(-0.5, 0.5, cout) : null;
    Problem p =
        new Problem(spec, x, kernel, bias, randomTensor(-1, 1, batch, spec.outSteps(), cout));
    if (act == Activation.RELU) {
      // Keep every pre-activation away from the kink at 0 (where finite differences straddle it),
      // redrawing the inputs until the smallest |z| is comfortably larger than eps.
      for (int attempt = 0; minAbsPreActivation(p) < 1e-3; attempt++) {
        assertTrue(attempt < 100, "test setup: could not keep relu inputs away from 0");
        p =
            new Problem(
                spec,
                randomTensor(-1, 1, batch, steps, cin),
                randomTensor(-1, 1, k, cin, cout),
                withBias ? randomTensor(-0.5, 0.5, cout) : null,
                p.r);
      }
    }
    return p;
  }

  private double minAbsPreActivation(Problem p) {
    Conv1dSpec s = p.spec;
    Conv1dSpec linear =
        new Conv1dSpec(
            s.kernelSize(), s.stride(), s.dilation(), s.padLeft(), s.outSteps(), Activation.LINEAR);
    double min = Double.POSITIVE_INFINITY;
    for (double z : values(forward(p.x, p.kernel, p.bias, linear))) {
      min = Math.min(min, Math.abs(z));
    }
    return min;
  }

  private double loss(Problem p) {
    double[] y = values(forward(p.x, p.kernel, p.bias, p.spec));
    double[] r = values(p.r);
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      sum += y[i] * r[i];
    }
    return sum;
  }

  /** Forward then backward with dy = R into the given buffers (dx, dbias may be null). */
  private void backward(Problem p, Tensor dx, Tensor dkernel, Tensor dbias) {
    Tensor y = forward(p.x, p.kernel, p.bias, p.spec);
    f64.conv1dGrad(p.x, p.kernel, y, p.r, p.spec, dx, dkernel, dbias);
  }

  static Stream<Arguments> gradientCases() {
    // padding, B, T, Cin, Cout, K, stride, dilation, activation, bias
    return Stream.of(
        Arguments.of(ConvPadding.VALID, 2, 7, 3, 2, 3, 1, 1, Activation.TANH, true),
        Arguments.of(ConvPadding.VALID, 1, 9, 2, 3, 2, 2, 3, Activation.SIGMOID, true),
        Arguments.of(ConvPadding.VALID, 2, 5, 2, 2, 1, 2, 1, Activation.LINEAR, false),
        Arguments.of(ConvPadding.SAME, 2, 7, 2, 3, 3, 2, 1, Activation.TANH, true),
        Arguments.of(ConvPadding.SAME, 1, 6, 3, 2, 4, 1, 2, Activation.LINEAR, true),
        Arguments.of(ConvPadding.SAME, 2, 5, 2, 2, 2, 2, 1, Activation.RELU, true),
        Arguments.of(ConvPadding.SAME, 1, 2, 2, 2, 4, 1, 1, Activation.SIGMOID, false),
        Arguments.of(ConvPadding.CAUSAL, 2, 8, 2, 3, 3, 1, 2, Activation.TANH, true),
        Arguments.of(ConvPadding.CAUSAL, 2, 7, 3, 2, 2, 2, 4, Activation.RELU, false),
        Arguments.of(ConvPadding.CAUSAL, 1, 3, 2, 2, 4, 1, 8, Activation.SIGMOID, true),
        Arguments.of(ConvPadding.CAUSAL, 1, 1, 1, 1, 2, 1, 1, Activation.LINEAR, true));
  }

  @ParameterizedTest(name = "{0} B={1} T={2} Cin={3} Cout={4} K={5} s={6} d={7} {8} bias={9}")
  @MethodSource("gradientCases")
  void everyGradientMatchesFiniteDifferences(
      ConvPadding padding,
      int batch,
      int steps,
      int cin,
      int cout,
      int k,
      int stride,
      int dilation,
      Activation act,
      boolean withBias) {
    Problem p = problem(padding, batch, steps, cin, cout, k, stride, dilation, act, withBias);
    Map<String, Tensor> analytic = new LinkedHashMap<>();
    analytic.put("x", f64.allocate(p.x.shape(), scope));
    analytic.put("kernel", f64.allocate(p.kernel.shape(), scope));
    if (withBias) {
      analytic.put("bias", f64.allocate(p.bias.shape(), scope));
    }
    backward(p, analytic.get("x"), analytic.get("kernel"), analytic.get("bias"));

    String what =
        padding + " " + act + " [B=" + batch + ", T=" + steps + ", Cin=" + cin + ", Cout=" + cout
            + ", K=" + k + ", s=" + stride + ", d=" + dilation + ", bias=" + withBias + "]";
    for (Map.Entry<String, Tensor> input : p.inputs().entrySet()) {
      Tensor v = input.getValue();
      Tensor g = analytic.get(input.getKey());
      boolean anyNonZero = false;
      for (long i = 0; i < v.size(); i++) {
        double saved = f64.get(v, i);
        f64.set(v, i, saved + EPS);
        double up = loss(p);
        f64.set(v, i, saved - EPS);
        double down = loss(p);
        f64.set(v, i, saved);
        double numeric = (up - down) / (2 * EPS);
        double a = f64.get(g, i);
        anyNonZero |= a != 0;
        if (!(Math.abs(a - numeric) <= RTOL * Math.max(Math.abs(a), Math.abs(numeric)) + ATOL)) {
          fail(
              what
                  + ": d loss / d "
                  + input.getKey()
                  + v.shape()
                  + " at flat index "
                  + i
                  + " is "
                  + a
                  + " by backward but "
                  + numeric
                  + " by finite differences");
        }
      }
      assertTrue(
          anyNonZero, what + ": d" + input.getKey() + " is all zero, the check would be vacuous");
    }
  }

  @Test
  void gradientsAccumulateAndDxDbiasMayBeNull() {
    Problem p = problem(ConvPadding.SAME, 2, 9, 3, 4, 3, 2, 2, Activation.TANH, true);
    Tensor dx = f64.allocate(p.x.shape(), scope);
    Tensor dk = f64.allocate(p.kernel.shape(), scope);
    Tensor db = f64.allocate(p.bias.shape(), scope);
    backward(p, dx, dk, db);

    Tensor dx2 = randomTensor(-1, 1, p.x.shape().dims());
    Tensor dk2 = randomTensor(-1, 1, p.kernel.shape().dims());
    Tensor db2 = randomTensor(-1, 1, p.bias.shape().dims());
    double[][] before = {values(dx2), values(dk2), values(db2)};
    backward(p, dx2, dk2, db2);
    Tensor[] fresh = {dx, dk, db};
    Tensor[] got = {dx2, dk2, db2};
    String[] names = {"dx", "dkernel", "dbias"};
    for (int j = 0; j < 3; j++) {
      double[] expected = values(fresh[j]);
      for (int i = 0; i < expected.length; i++) {
        expected[i] += before[j][i];
      }
      TestArrays.assertAllClose(names[j] + " accumulates", expected, values(got[j]), 1e-14, 1e-14);
    }

    // dx and dbias null: dkernel is unchanged.
    Tensor dk3 = f64.allocate(p.kernel.shape(), scope);
    backward(p, null, dk3, null);
    assertArrayEquals(values(dk), values(dk3), "dkernel without dx and dbias");
  }

  @Test
  void float32ModeStoresFloatsCloseToFloat64() {
    ReferenceBackend f32 = ReferenceBackend.float32();
    Problem p = problem(ConvPadding.CAUSAL, 2, 17, 3, 5, 4, 1, 2, Activation.TANH, true);
    double[] y64 = values(forward(p.x, p.kernel, p.bias, p.spec));
    Tensor y = f32.allocate(Shape.of(2, p.spec.outSteps(), 5), scope);
    f32.conv1d(
        f32.upload(f64.download(p.x), scope),
        f32.upload(f64.download(p.kernel), scope),
        f32.upload(f64.download(p.bias), scope),
        p.spec,
        y);
    double[] y32 = new double[y64.length];
    for (int i = 0; i < y32.length; i++) {
      y32[i] = f32.get(y, i);
      assertEquals((double) (float) y32[i], y32[i], 0.0, "float32 mode stores float values");
    }
    TestArrays.assertAllClose("float32 vs float64", y64, y32, 1e-6, 1e-6);
  }

  // ---- causality ---------------------------------------------------------------------------

  @ParameterizedTest(name = "dilation {0}")
  @ValueSource(ints = {1, 2, 4, 8})
  void causalOutputsDoNotSeeTheFuture(int dilation) {
    int steps = 20;
    Tensor x = randomTensor(-1, 1, 2, steps, 3);
    Tensor kernel = randomTensor(-1, 1, 3, 3, 4);
    Tensor bias = randomTensor(-0.5, 0.5, 4);
    Conv1dSpec spec = ConvPadding.CAUSAL.spec(steps, 3, 1, dilation, Activation.TANH);
    double[] base = values(forward(x, kernel, bias, spec));
    for (int t : new int[] {0, 1, 5, 10, 18}) {
      // Change every channel of x at step t + 1, in both batch rows.
      double[] saved = new double[6];
      for (int b = 0; b < 2; b++) {
        for (int c = 0; c < 3; c++) {
          long i = (b * steps + t + 1) * 3L + c;
          saved[b * 3 + c] = f64.get(x, i);
          f64.set(x, i, saved[b * 3 + c] + 0.75);
        }
      }
      double[] changed = values(forward(x, kernel, bias, spec));
      for (int b = 0; b < 2; b++) {
        for (int s = 0; s < steps; s++) {
          for (int co = 0; co < 4; co++) {
            int i = (b * steps + s) * 4 + co;
            if (s <= t) {
              assertEquals(
                  base[i],
                  changed[i],
                  0.0,
                  "d="
                      + dilation
                      + ": y["
                      + b
                      + ", "
                      + s
                      + ", "
                      + co
                      + "] changed when x[:, "
                      + (t + 1)
                      + "] did");
            }
          }
        }
        int at = (b * steps + t + 1) * 4;
        assertNotEquals(
            base[at], changed[at], "d=" + dilation + ": y[:, t+1] should see x[:, t+1]");
      }
      for (int b = 0; b < 2; b++) {
        for (int c = 0; c < 3; c++) {
          f64.set(x, (b * steps + t + 1) * 3L + c, saved[b * 3 + c]);
        }
      }
    }
  }

  // ---- validation (shared by all backends) ---------------------------------------------

  static Stream<String> backends() {
    return Stream.of("reference", CpuBackend.NAME);
  }

  private static Backend backend(String name) {
    return name.equals(CpuBackend.NAME) ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** A valid problem: x [2, 5, 3], kernel [2, 3, 4], bias [4], causal, y [2, 5, 4]. */
  private final class Valid {
    final Backend b;
    final Conv1dSpec spec = ConvPadding.CAUSAL.spec(5, 2, 1, 1, Activation.TANH);
    Tensor x;
    Tensor kernel;
    Tensor bias;
    Tensor y;

    Valid(Backend b) {
      this.b = b;
      x = b.allocate(Shape.of(2, 5, 3), scope);
      kernel = b.allocate(Shape.of(2, 3, 4), scope);
      bias = b.allocate(Shape.of(4), scope);
      y = b.allocate(Shape.of(2, 5, 4), scope);
    }

    String forwardFails() {
      return assertThrows(IllegalArgumentException.class, () -> b.conv1d(x, kernel, bias, spec, y))
          .getMessage();
    }

    String backwardFails(Tensor dy, Tensor dx, Tensor dkernel, Tensor dbias) {
      return assertThrows(
              IllegalArgumentException.class,
              () -> b.conv1dGrad(x, kernel, y, dy, spec, dx, dkernel, dbias))
          .getMessage();
    }
  }

  @Test
  void theBaselineOfTheValidationCasesIsValid() {
    Valid v = new Valid(ReferenceBackend.float32());
    v.b.conv1d(v.x, v.kernel, v.bias, v.spec, v.y);
    v.b.conv1dGrad(
        v.x,
        v.kernel,
        v.y,
        v.b.allocate(v.y.shape(), scope),
        v.spec,
        v.b.allocate(v.x.shape(), scope),
        v.b.allocate(v.kernel.shape(), scope),
        v.b.allocate(v.bias.shape(), scope));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aTwoDimensionalInputIsRefused(String name) {
    Valid v = new Valid(backend(name));
    v.x = v.b.allocate(Shape.of(5, 3), scope);
    assertMentions(v.forwardFails(), "input", "rank 3", "[5, 3]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aKernelWhoseInputChannelsDifferIsRefused(String name) {
    Valid v = new Valid(backend(name));
    v.kernel = v.b.allocate(Shape.of(2, 7, 4), scope);
    assertMentions(v.forwardFails(), "kernel", "[2, 7, 4]", "[2, 3, filters]", "[2, 5, 3]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aKernelOfTheWrongSizeIsRefused(String name) {
    Valid v = new Valid(backend(name));
    v.kernel = v.b.allocate(Shape.of(3, 3, 4), scope); // spec says K = 2
    assertMentions(v.forwardFails(), "kernel", "[3, 3, 4]", "[2, 3, filters]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anOutputOfTheWrongShapeIsRefused(String name) {
    Valid v = new Valid(backend(name));
    v.y = v.b.allocate(Shape.of(2, 4, 4), scope);
    assertMentions(v.forwardFails(), "output", "[2, 5, 4]", "[2, 4, 4]");
    v.y = v.b.allocate(Shape.of(2, 5, 3), scope);
    assertMentions(v.forwardFails(), "output", "[2, 5, 4]", "[2, 5, 3]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aBiasOfTheWrongShapeIsRefused(String name) {
    Valid v = new Valid(backend(name));
    v.bias = v.b.allocate(Shape.of(3), scope);
    assertMentions(v.forwardFails(), "bias", "[4]", "[3]");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void backwardRefusesGradientsOfTheWrongShape(String name) {
    Valid v = new Valid(backend(name));
    Tensor dy = v.b.allocate(v.y.shape(), scope);
    Tensor dx = v.b.allocate(v.x.shape(), scope);
    Tensor dk = v.b.allocate(v.kernel.shape(), scope);
    Tensor db = v.b.allocate(v.bias.shape(), scope);
    assertMentions(
        v.backwardFails(v.b.allocate(Shape.of(2, 4, 4), scope), dx, dk, db), "dy", "[2, 4, 4]");
    assertMentions(
        v.backwardFails(dy, v.b.allocate(Shape.of(2, 5, 2), scope), dk, db), "dx", "[2, 5, 2]");
    assertMentions(
        v.backwardFails(dy, dx, v.b.allocate(Shape.of(2, 3, 5), scope), db),
        "dkernel",
        "[2, 3, 5]");
    assertMentions(v.backwardFails(dy, dx, dk, v.b.allocate(Shape.of(5), scope)), "bias", "[5]");
    assertMentions(v.backwardFails(dy, dx, null, db), "dkernel", "null");
  }

  @Test
  void tensorsOfAnotherBackendAreRefused() {
    Valid v = new Valid(ReferenceBackend.float32());
    v.x = ReferenceBackend.float64().allocate(Shape.of(2, 5, 3), scope);
    assertMentions(v.forwardFails(), "input", "reference64");
  }
}
