package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.Backend;
import dev.timestep.backend.RecurrentKind;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dropout} and {@code recurrentDropout} on the recurrent layers: off at inference and at
 * rate 0, one mask per sequence, the step-by-step path equal to the fused op, and native and
 * reference backends agreeing. (Finite-difference gradients: RecurrentDropoutGradientTest.)
 */
class RecurrentDropoutTest {

  /** A fresh layer of each kind with the given rates (units 5, every step returned). */
  interface Make {
    RecurrentLayer make(double dropout, double recurrentDropout);
  }

  /** The same layer as {@link Make} builds, never told about dropout. */
  static RecurrentLayer plain(String kind) {
    return switch (kind) {
      case "SimpleRNN" -> new SimpleRNN(5).returnSequences(true);
      case "LSTM" -> new LSTM(5).returnSequences(true);
      case "GRU" -> new GRU(5).returnSequences(true);
      default -> new LayerNormSimpleRNN(5).returnSequences(true);
    };
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            "SimpleRNN",
            (Make) (d, r) -> new SimpleRNN(5).returnSequences(true).dropout(d).recurrentDropout(r)),
        Arguments.of(
            "LSTM",
            (Make) (d, r) -> new LSTM(5).returnSequences(true).dropout(d).recurrentDropout(r)),
        Arguments.of(
            "GRU",
            (Make) (d, r) -> new GRU(5).returnSequences(true).dropout(d).recurrentDropout(r)),
        Arguments.of(
            "LayerNormSimpleRNN",
            (Make)
                (d, r) ->
                    new LayerNormSimpleRNN(5)
                        .returnSequences(true)
                        .dropout(d)
                        .recurrentDropout(r)));
  }

  static Stream<Arguments> kindsOnBothBackends() {
    return kinds()
        .flatMap(
            a -> Stream.of("reference", "cpu").map(b -> Arguments.of(a.get()[0], a.get()[1], b)));
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  private static NDArray x(long seed, int batch, int steps, int features) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, batch, steps, features);
  }

  private static float[] forward(Sequential m, NDArray x, ForwardPass pass) {
    Backend b = m.backend();
    try (Tape tape = new Tape(b, false)) {
      return b.download(m.forward(tape, tape.constant(b.upload(x, tape.scope())), pass).value())
          .data();
    }
  }

  /** Output, then every parameter gradient (of the MSE against zeros), for one pass. */
  private static float[][] outputAndGradients(Sequential m, NDArray x, ForwardPass pass) {
    Backend b = m.backend();
    try (Tape tape = new Tape(b)) {
      Variable y = m.forward(tape, tape.constant(b.upload(x, tape.scope())), pass);
      Variable loss = Ops.mse(tape, y, tape.constant(tape.allocate(y.shape())));
      m.parameters().zeroGrads();
      tape.backward(loss);
      return new float[][] {
        b.download(y.value()).data(), b.download(m.parameters().grads()).data()
      };
    }
  }

  @Test
  void ratesOutsideZeroToOneAndLateSettingAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LSTM(3).dropout(1.0));
    assertTrue(e.getMessage().contains("LSTM: dropout must be in [0, 1)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new GRU(3).recurrentDropout(-0.5));
    assertTrue(e.getMessage().contains("GRU: recurrentDropout must be in [0, 1)"), e.getMessage());
    try (Sequential m = new Sequential(new SimpleRNN(2)).backend(ReferenceBackend.float32())) {
      SimpleRNN layer = (SimpleRNN) m.layers().get(0);
      m.build(Shape.of(3, 1));
      assertThrows(IllegalStateException.class, () -> layer.recurrentDropout(0.2));
    }
    assertTrue(new SimpleRNN(2).dropout(0.1).hasDropout());
    assertTrue(new SimpleRNN(2).recurrentDropout(0.1).hasDropout());
    assertFalse(new SimpleRNN(2).dropout(0).hasDropout());
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("kindsOnBothBackends")
  void rateZeroTrainsExactlyLikeThePlainLayerAndInferenceIgnoresTheRates(
      String kind, Make make, String backend) {
    Backend b = backend(backend);
    NDArray x = x(1, 3, 6, 2);
    try (Sequential plain = new Sequential(plain(kind)).seed(4).backend(b);
        Sequential zero = new Sequential(make.make(0.0, 0.0)).seed(4).backend(b);
        Sequential dropped = new Sequential(make.make(0.5, 0.5)).seed(4).backend(b)) {
      float[][] p = outputAndGradients(plain, x, ForwardPass.training(9));
      float[][] z = outputAndGradients(zero, x, ForwardPass.training(9));
      assertArrayEquals(p[0], z[0], "rate 0: outputs");
      assertArrayEquals(p[1], z[1], "rate 0: gradients");
      assertArrayEquals(
          forward(plain, x, ForwardPass.inference()),
          forward(dropped, x, ForwardPass.inference()),
          "at inference the rates change nothing");
      assertFalse(
          Arrays.equals(p[0], forward(dropped, x, ForwardPass.training(9))),
          "while training they do");
    }
  }

  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("kindsOnBothBackends")
  void theStepByStepPathEqualsTheFusedOpWithoutAMask(String kind, Make make, String backend) {
    Backend b = backend(backend);
    NDArray x = x(2, 3, 7, 2);
    try (Sequential m = new Sequential(make.make(0, 0)).seed(5).backend(b)) {
      m.build(Shape.of(7, 2));
      RecurrentLayer layer = (RecurrentLayer) m.layers().get(0);
      float[][] fused = outputAndGradients(m, x, ForwardPass.training(1));
      float[][] steps;
      try (Tape tape = new Tape(b)) {
        Variable in = tape.constant(b.upload(x, tape.scope()));
        var params = m.parameters().parameters();
        RecurrentSteps.Weights w =
            new RecurrentSteps.Weights(
                params.get(0),
                params.get(1),
                params.get(2),
                kindOf(layer) == RecurrentKind.GRU ? params.get(3) : null,
                kindOf(layer) == RecurrentKind.LAYER_NORM_SIMPLE ? params.get(3) : null);
        Variable y =
            Ops.stackSteps(
                tape,
                RecurrentSteps.run(
                        tape, kindOf(layer), layer.activation(), in, 5, w, null, null, null)
                    .states());
        Variable loss = Ops.mse(tape, y, tape.constant(tape.allocate(y.shape())));
        m.parameters().zeroGrads();
        tape.backward(loss);
        steps =
            new float[][] {b.download(y.value()).data(), b.download(m.parameters().grads()).data()};
      }
      TestArrays.assertAllClose(kind + " outputs", fused[0], steps[0], 1e-6, 1e-5);
      TestArrays.assertAllClose(kind + " gradients", fused[1], steps[1], 1e-6, 1e-4);
    }
  }

  private static dev.timestep.backend.RecurrentKind kindOf(RecurrentLayer layer) {
    if (layer instanceof LSTM) {
      return dev.timestep.backend.RecurrentKind.LSTM;
    }
    if (layer instanceof GRU) {
      return dev.timestep.backend.RecurrentKind.GRU;
    }
    if (layer instanceof LayerNormSimpleRNN) {
      return dev.timestep.backend.RecurrentKind.LAYER_NORM_SIMPLE;
    }
    return dev.timestep.backend.RecurrentKind.SIMPLE;
  }

  @Test
  void theInputMaskIsOneDrawPerSequenceRepeatedAtEveryStep() {
    NDArray mask = DropoutMasks.overTime(new SplittableRandom(3), 0.5, 4, 9, 6);
    assertEquals(Shape.of(4, 9, 6), mask.shape());
    for (int b = 0; b < 4; b++) {
      for (int t = 1; t < 9; t++) {
        for (int f = 0; f < 6; f++) {
          assertEquals(
              mask.get(b, 0, f), mask.get(b, t, f), "sample " + b + " step " + t + " feature " + f);
        }
      }
    }
  }

  /**
   * With one sequence, a dropped input feature never reaches the layer, so its row of the kernel
   * gradient is exactly zero; a dropped state unit never enters h·U, so its row of the recurrent
   * kernel gradient is zero. A mask redrawn at each step would leave every row non-zero, so this
   * checks, through the layer, that one mask serves every step.
   */
  @ParameterizedTest(name = "{0} on {2}")
  @MethodSource("kindsOnBothBackends")
  void droppedFeaturesAndUnitsGetNoGradientAtAnyStep(String kind, Make make, String backend) {
    Backend b = backend(backend);
    int features = 8;
    int units = 5;
    NDArray x = x(4, 1, 12, features);
    try (Sequential m = new Sequential(make.make(0.5, 0.5)).seed(6).backend(b)) {
      m.build(Shape.of(12, features));
      int gateWidth = (int) m.parameters().get(0).shape().dim(1);
      outputAndGradients(m, x, ForwardPass.training(31));
      float[] kernelGrad = b.download(m.parameters().get(0).grad()).data();
      float[] recurrentGrad = b.download(m.parameters().get(1).grad()).data();
      int zeroFeatures = zeroRows(kernelGrad, features, gateWidth);
      int zeroUnits = zeroRows(recurrentGrad, units, gateWidth);
      assertTrue(
          zeroFeatures > 0 && zeroFeatures < features, kind + ": dropped features " + zeroFeatures);
      assertTrue(zeroUnits > 0 && zeroUnits < units, kind + ": dropped units " + zeroUnits);
    }
  }

  /** Rows that are entirely zero; the others must be entirely non-zero somewhere. */
  private static int zeroRows(float[] matrix, int rows, int cols) {
    int zero = 0;
    for (int r = 0; r < rows; r++) {
      boolean allZero = true;
      for (int c = 0; c < cols; c++) {
        allZero &= matrix[r * cols + c] == 0f;
      }
      zero += allZero ? 1 : 0;
    }
    return zero;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void nativeAndReferenceAgreeWithDropoutActive(String kind, Make make) {
    NDArray x = x(5, 4, 8, 3);
    try (Sequential ref =
            new Sequential(make.make(0.3, 0.4), new Dense(2))
                .seed(7)
                .backend(ReferenceBackend.float32());
        Sequential cpu =
            new Sequential(make.make(0.3, 0.4), new Dense(2)).seed(7).backend(CpuBackend.get())) {
      float[][] r = outputAndGradients(ref, x, ForwardPass.training(17));
      float[][] c = outputAndGradients(cpu, x, ForwardPass.training(17));
      TestArrays.assertAllClose(kind + " outputs", r[0], c[0], 1e-5, 1e-4);
      TestArrays.assertAllClose(kind + " gradients", r[1], c[1], 1e-5, 1e-3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void theLastStateAloneComesFromTheStepPathToo(String backend) {
    Backend b = backend(backend);
    NDArray x = x(6, 2, 5, 1);
    try (Sequential all =
            new Sequential(new GRU(3).returnSequences(true).recurrentDropout(0.5))
                .seed(2)
                .backend(b);
        Sequential last = new Sequential(new GRU(3).recurrentDropout(0.5)).seed(2).backend(b)) {
      float[] every = forward(all, x, ForwardPass.training(3));
      float[] lastOnly = forward(last, x, ForwardPass.training(3));
      for (int s = 0; s < 2; s++) {
        for (int u = 0; u < 3; u++) {
          assertEquals(
              every[(s * 5 + 4) * 3 + u], lastOnly[s * 3 + u], "sample " + s + " unit " + u);
        }
      }
    }
  }
}
