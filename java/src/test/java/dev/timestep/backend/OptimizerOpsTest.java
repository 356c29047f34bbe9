package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused optimizer ops ({@link Backend#adam} with AMSGrad and weight decay, {@link Backend#sgd},
 * {@link Backend#rmsprop}): every native backend against the float32 reference on random odd-sized
 * arenas over several steps (so state carried between calls is checked; cuda only where a device is
 * usable, else SKIPPED), and the checks' refusals. The update formulas themselves are checked
 * against Keras' in {@code optim.OptimizerFormulaTest}; these ops have no gradient.
 */
class OptimizerOpsTest {
  /** One element, odd sizes, sizes just past vector widths, and one past a few CUDA blocks. */
  static final int[] SIZES = {1, 3, 17, 33, 1001};

  private final ReferenceBackend ref = ReferenceBackend.float32();
  private Scope scope;
  private SplittableRandom random;

  @BeforeEach
  void open() {
    scope = new Scope();
    random = new SplittableRandom(0x0971L);
  }

  @AfterEach
  void close() {
    scope.close();
  }

  static Stream<String> nativeBackends() {
    return Stream.of(CpuBackend.NAME, CudaBackend.NAME);
  }

  static Backend nativeBackend(String name) {
    if (name.equals(CudaBackend.NAME)) {
      CudaTests.assumeUsable();
      return CudaBackend.get();
    }
    return CpuBackend.get();
  }

  /** The same values on the reference ({@code r}) and the native backend ({@code n}). */
  private record Twin(Tensor r, Tensor n) {}

  /** Twins of uniform values in [lo, hi), or null ones when {@code present} is false. */
  private Twin twin(Backend nb, boolean present, double lo, double hi, int n) {
    if (!present) {
      return new Twin(null, null);
    }
    NDArray values = TestArrays.uniform(random, lo, hi, n);
    return new Twin(ref.upload(values, scope), nb.upload(values, scope));
  }

  private void assertMatches(Backend nb, String what, Twin... twins) {
    for (int i = 0; i < twins.length; i++) {
      if (twins[i].r() == null) {
        continue;
      }
      TestArrays.assertAllClose(
          what + " output " + i,
          ref.download(twins[i].r()).data(),
          nb.download(twins[i].n()).data(),
          Tolerance.FLOAT32.atol(),
          Tolerance.FLOAT32.rtol());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void adamWithAndWithoutAmsgradAndDecayMatchesTheReference(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int n : SIZES) {
      for (boolean amsgrad : new boolean[] {false, true}) {
        for (float decay : new float[] {0f, 1e-3f}) {
          String what = "adam n=" + n + " amsgrad=" + amsgrad + " decay=" + decay;
          Twin p = twin(nb, true, -1, 1, n);
          Twin m = twin(nb, true, -0.1, 0.1, n);
          Twin v = twin(nb, true, 0.01, 0.1, n);
          Twin vhat = twin(nb, amsgrad, 0.01, 0.1, n);
          for (int step = 1; step <= 3; step++) {
            Twin g = twin(nb, true, -1, 1, n);
            ref.adam(p.r(), g.r(), m.r(), v.r(), vhat.r(), 0.01f, 0.9f, 0.99f, 1e-7f, decay);
            nb.adam(p.n(), g.n(), m.n(), v.n(), vhat.n(), 0.01f, 0.9f, 0.99f, 1e-7f, decay);
            assertMatches(nb, what + " step " + step, p, m, v, vhat);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void sgdPlainMomentumAndNesterovMatchTheReference(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int n : SIZES) {
      for (int variant = 0; variant < 3; variant++) {
        float momentum = variant == 0 ? 0f : 0.9f;
        boolean nesterov = variant == 2;
        String what = "sgd n=" + n + " momentum=" + momentum + " nesterov=" + nesterov;
        Twin p = twin(nb, true, -1, 1, n);
        Twin velocity = twin(nb, variant > 0, -0.1, 0.1, n);
        for (int step = 1; step <= 3; step++) {
          Twin g = twin(nb, true, -1, 1, n);
          ref.sgd(p.r(), g.r(), velocity.r(), 0.05f, momentum, nesterov);
          nb.sgd(p.n(), g.n(), velocity.n(), 0.05f, momentum, nesterov);
          assertMatches(nb, what + " step " + step, p, velocity);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeBackends")
  void rmspropEveryVariantMatchesTheReference(String backendName) {
    Backend nb = nativeBackend(backendName);
    for (int n : SIZES) {
      for (boolean centered : new boolean[] {false, true}) {
        for (float momentum : new float[] {0f, 0.5f}) {
          String what = "rmsprop n=" + n + " centered=" + centered + " momentum=" + momentum;
          Twin p = twin(nb, true, -1, 1, n);
          // a velocity above the square of the mean gradient, as a real run keeps it
          Twin velocity = twin(nb, true, 1, 2, n);
          Twin average = twin(nb, centered, -0.5, 0.5, n);
          Twin buf = twin(nb, momentum != 0, -0.1, 0.1, n);
          for (int step = 1; step <= 3; step++) {
            Twin g = twin(nb, true, -1, 1, n);
            ref.rmsprop(
                p.r(), g.r(), velocity.r(), average.r(), buf.r(), 1e-2f, 0.9f, momentum, 1e-7f);
            nb.rmsprop(
                p.n(), g.n(), velocity.n(), average.n(), buf.n(), 1e-2f, 0.9f, momentum, 1e-7f);
            assertMatches(nb, what + " step " + step, p, velocity, average, buf);
          }
        }
      }
    }
  }

  private static void refused(String fragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu"})
  void badArgumentsAreRefusedBeforeTheKernel(String name) {
    Backend b = name.equals("cpu") ? CpuBackend.get() : ref;
    Tensor p = b.allocate(Shape.of(4), scope);
    Tensor g = b.allocate(Shape.of(4), scope);
    Tensor s1 = b.allocate(Shape.of(4), scope);
    Tensor s2 = b.allocate(Shape.of(4), scope);
    Tensor s3 = b.allocate(Shape.of(4), scope);
    Tensor five = b.allocate(Shape.of(5), scope);

    refused("decay=1.0", () -> b.adam(p, g, s1, s2, null, 1e-3f, 0.9f, 0.999f, 1e-7f, 1f));
    refused("decay=-0.1", () -> b.adam(p, g, s1, s2, null, 1e-3f, 0.9f, 0.999f, 1e-7f, -0.1f));
    refused("sizes differ", () -> b.adam(p, g, s1, s2, five, 1e-3f, 0.9f, 0.999f, 1e-7f, 0f));
    refused("shares memory", () -> b.adam(p, g, s1, s2, s1, 1e-3f, 0.9f, 0.999f, 1e-7f, 0f));

    refused("sgd: bad hyper-parameters lr=0.0", () -> b.sgd(p, g, null, 0f, 0f, false));
    refused("momentum=1.5", () -> b.sgd(p, g, s1, 0.1f, 1.5f, false));
    refused("velocity is null", () -> b.sgd(p, g, null, 0.1f, 0.9f, false));
    refused("velocity was given", () -> b.sgd(p, g, s1, 0.1f, 0f, false));
    refused("sizes differ", () -> b.sgd(p, g, five, 0.1f, 0.9f, false));
    refused("shares memory", () -> b.sgd(p, g, g, 0.1f, 0.9f, false));

    refused("rho=1.0", () -> b.rmsprop(p, g, s1, null, null, 0.1f, 1f, 0f, 1e-7f));
    refused("epsilon=-1.0", () -> b.rmsprop(p, g, s1, null, null, 0.1f, 0.9f, 0f, -1f));
    refused(
        "velocity: tensor is null", () -> b.rmsprop(p, g, null, null, null, 0.1f, 0.9f, 0f, 0f));
    refused("momentumBuf is null", () -> b.rmsprop(p, g, s1, null, null, 0.1f, 0.9f, 0.5f, 0f));
    refused("momentumBuf was given", () -> b.rmsprop(p, g, s1, null, s2, 0.1f, 0.9f, 0f, 0f));
    refused("sizes differ", () -> b.rmsprop(p, g, s1, five, null, 0.1f, 0.9f, 0f, 0f));
    refused("shares memory", () -> b.rmsprop(p, g, s1, s2, s2, 0.1f, 0.9f, 0.5f, 0f));
    b.rmsprop(p, g, s1, s2, s3, 0.1f, 0.9f, 0.5f, 1e-7f); // all three slots: accepted
  }
}
