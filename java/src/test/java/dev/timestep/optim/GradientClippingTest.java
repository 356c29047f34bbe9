package dev.timestep.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Initializer;
import dev.timestep.autodiff.ParameterStore;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adam's gradient clipping follows Keras: {@code clipnorm} rescales each parameter tensor's
 * gradient to an L2 norm of at most the limit (per tensor, not the global norm), {@code clipvalue}
 * clamps each element; only one of the two may be set.
 */
class GradientClippingTest {

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** A store with two parameters, "kernel" [2, 2] and "bias" [2], and the given gradients. */
  private static ParameterStore storeWithGradients(
      Backend b, float[] kernelGrad, float[] biasGrad) {
    ParameterStore store = new ParameterStore();
    store.declare("kernel", Shape.of(2, 2), Initializer.constant(0.5f));
    store.declare("bias", Shape.of(2), Initializer.zeros());
    store.allocate(b, 0);
    b.upload(NDArray.of(kernelGrad, 2, 2), store.parameters().get(0).grad());
    b.upload(NDArray.of(biasGrad, 2), store.parameters().get(1).grad());
    return store;
  }

  private static float[] grads(Backend b, ParameterStore store, int parameter) {
    return b.download(store.parameters().get(parameter).grad()).data();
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void clipNormScalesEachTensorOnItsOwn(String name) {
    Backend b = backend(name);
    // kernel gradient norm sqrt(9+16+0+0) = 5 > 1: scaled by 1/5; bias norm 0.5 <= 1: untouched
    // (a global norm, sqrt(25.25), would have scaled the bias too).
    try (ParameterStore store =
            storeWithGradients(b, new float[] {3, 4, 0, 0}, new float[] {0.3f, -0.4f});
        Adam adam = new Adam(1e-3).clipNorm(1.0)) {
      adam.step(store);
      assertArrayEquals(new float[] {0.6f, 0.8f, 0, 0}, grads(b, store, 0), 1e-7f);
      assertArrayEquals(new float[] {0.3f, -0.4f}, grads(b, store, 1), 0f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void clipValueClampsEveryElement(String name) {
    Backend b = backend(name);
    try (ParameterStore store =
            storeWithGradients(b, new float[] {3, -4, 0.1f, -0.2f}, new float[] {0.5f, -7});
        Adam adam = new Adam(1e-3).clipValue(0.25)) {
      adam.step(store);
      assertArrayEquals(new float[] {0.25f, -0.25f, 0.1f, -0.2f}, grads(b, store, 0), 0f);
      assertArrayEquals(new float[] {0.25f, -0.25f}, grads(b, store, 1), 0f);
    }
  }

  /**
   * Adam's first step moves each weight by about lr whatever the gradient's scale; clipping changes
   * later ones.
   */
  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void clippingChangesTheUpdateExactlyAsClippedGradientsWould(String name) {
    Backend b = backend(name);
    float[][] kernelGrads = {{3, 4, 0, 0}, {0.1f, 0.1f, 0.1f, 0.1f}};
    float[][] biasGrads = {{30, 40}, {0.2f, 0.1f}};
    try (ParameterStore clipped = storeWithGradients(b, kernelGrads[0], biasGrads[0]);
        ParameterStore manual = storeWithGradients(b, kernelGrads[0], biasGrads[0]);
        Adam withClip = new Adam(1e-2).clipNorm(1.0);
        Adam plain = new Adam(1e-2)) {
      for (int step = 0; step < 2; step++) {
        b.upload(NDArray.of(kernelGrads[step], 2, 2), clipped.parameters().get(0).grad());
        b.upload(NDArray.of(biasGrads[step], 2), clipped.parameters().get(1).grad());
        float[] k = kernelGrads[step].clone();
        float[] bias = biasGrads[step].clone();
        GradientClipping.clipByNorm(k, 0, k.length, 1.0);
        GradientClipping.clipByNorm(bias, 0, bias.length, 1.0);
        b.upload(NDArray.of(k, 2, 2), manual.parameters().get(0).grad());
        b.upload(NDArray.of(bias, 2), manual.parameters().get(1).grad());
        withClip.step(clipped);
        plain.step(manual);
      }
      assertArrayEquals(
          b.download(manual.values()).data(), b.download(clipped.values()).data(), 0f);
    }
  }

  @Test
  void clipByNormKeepsTheDirectionAndNaN() {
    float[] g = {6, 8, 1};
    GradientClipping.clipByNorm(g, 0, 2, 2.0); // only the first two: norm 10 -> 2
    assertArrayEquals(new float[] {1.2f, 1.6f, 1}, g, 1e-6f);
    float[] nan = {Float.NaN, 1};
    GradientClipping.clipByNorm(nan, 0, 2, 1.0);
    assertTrue(Float.isNaN(nan[0]), "NaN must survive clipping so divergence is still detected");
  }

  @Test
  void badLimitsAndBothKindsAreRefused() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new Adam().clipNorm(bad));
      assertTrue(
          e.getMessage().contains("clipNorm") && e.getMessage().contains(String.valueOf(bad)),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> new Adam().clipValue(bad));
      assertTrue(e.getMessage().contains("clipValue"), e.getMessage());
    }
    IllegalStateException both =
        assertThrows(IllegalStateException.class, () -> new Adam().clipNorm(1).clipValue(1));
    assertTrue(both.getMessage().contains("only one"), both.getMessage());
    Adam a = new Adam().clipValue(0.5).clipValue(0.25); // changing the same kind is fine
    assertEquals(0.25, a.clipValue());
    assertTrue(Double.isNaN(a.clipNorm()));
    assertEquals("Adam(lr=0.001, clipvalue=0.25)", a.toString());
  }
}
