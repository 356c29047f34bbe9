package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.LayerNormalization;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone layer-norm op (LayerNormalization layers and user-written cells): gradients by
 * finite differences, the native CPU kernels (and the CUDA ones, where a device is present) against
 * the reference on odd sizes, and the layer.
 */
class LayerNormOpTest {
  private final ReferenceBackend f64 = ReferenceBackend.float64();
  private final SplittableRandom random = new SplittableRandom(77);
  private Scope scope;

  @BeforeEach
  void open() {
    scope = new Scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  private NDArray uniform(double lo, double hi, int... dims) {
    NDArray a = NDArray.zeros(dims);
    for (int i = 0; i < a.size(); i++) {
      a.data()[i] = (float) (lo + (hi - lo) * random.nextDouble());
    }
    return a;
  }

  private Parameter param64(String name, double lo, double hi, int... dims) {
    Tensor value = f64.upload(uniform(lo, hi, dims), scope);
    return new Parameter(name, value, f64.allocate(value.shape(), scope));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (int[] dims : new int[][] {{4, 5}, {2, 3, 4}, {3, 1}}) {
      int n = dims[dims.length - 1];
      Parameter x = param64("x", -2, 2, dims);
      Parameter gamma = param64("gamma", 0.5, 1.5, n);
      Parameter beta = param64("beta", -1, 1, n);
      Tensor target = f64.upload(uniform(-1, 1, dims), scope);
      FiniteDifferences.check(
          "layerNorm " + Shape.of(dims),
          t -> Ops.mse(t, Ops.tanh(t, Ops.layerNorm(t, x, gamma, beta)), t.constant(target)),
          x,
          gamma,
          beta);
    }
  }

  @Test
  void nativeCpuMatchesTheReference() {
    nativeMatchesTheReference(CpuBackend.get());
  }

  /** The CUDA kernels, where a usable device exists; skipped (not passed) elsewhere. */
  @Test
  void cudaMatchesTheReference() {
    CudaTests.assumeUsable();
    nativeMatchesTheReference(CudaBackend.get());
  }

  /** Forward and backward of {@code nb} against the float32 reference on odd sizes. */
  private void nativeMatchesTheReference(Backend nb) {
    Backend ref = ReferenceBackend.float32();
    for (int rows : new int[] {1, 3, 17, 33}) {
      for (int n : new int[] {1, 3, 20, 33}) {
        NDArray x = uniform(-3, 3, rows, n);
        NDArray gamma = uniform(0.5, 1.5, n);
        NDArray beta = uniform(-1, 1, n);
        NDArray dy = uniform(-1, 1, rows, n);
        NDArray seed = uniform(-1, 1, rows, n); // gradients accumulate onto these
        float[][] outs = new float[2][];
        float[][] grads = new float[2][];
        Backend[] pair = {ref, nb};
        for (int k = 0; k < 2; k++) {
          Backend b = pair[k];
          Tensor y = b.allocate(Shape.of(rows, n), scope);
          Tensor xhat = b.allocate(Shape.of(rows, n), scope);
          Tensor rstd = b.allocate(Shape.of(rows), scope);
          Tensor dx = b.upload(seed, scope);
          Tensor dgamma = b.allocate(Shape.of(n), scope);
          Tensor dbeta = b.allocate(Shape.of(n), scope);
          Tensor g = b.upload(gamma, scope);
          b.layerNorm(b.upload(x, scope), g, b.upload(beta, scope), y, xhat, rstd);
          b.layerNormGrad(b.upload(dy, scope), xhat, rstd, g, dx, dgamma, dbeta);
          outs[k] = b.download(y).data();
          float[] all = new float[rows * n + 2 * n];
          System.arraycopy(b.download(dx).data(), 0, all, 0, rows * n);
          System.arraycopy(b.download(dgamma).data(), 0, all, rows * n, n);
          System.arraycopy(b.download(dbeta).data(), 0, all, rows * n + n, n);
          grads[k] = all;
        }
        String what = nb.name() + " layerNorm rows=" + rows + " n=" + n;
        TestArrays.assertAllClose(
            what + " y", outs[0], outs[1], Tolerance.FLOAT32.atol(), Tolerance.FLOAT32.rtol());
        TestArrays.assertAllClose(
            what + " gradients",
            grads[0],
            grads[1],
            Tolerance.FLOAT32.atol(),
            Tolerance.FLOAT32.rtol());
      }
    }
  }

  @Test
  void theLayerNormalizesEachSampleAndStep() {
    try (Sequential m = new Sequential(new LayerNormalization()).backend(CpuBackend.get())) {
      NDArray x = NDArray.of(new float[] {1, 2, 3, 10, 20, 30}, 1, 2, 3);
      float[] y = m.predict(x).data();
      // Each step separately: mean 0, and (x - mean) / sqrt(var + 1e-3) with γ = 1, β = 0.
      assertEquals(-1 / Math.sqrt(2.0 / 3 + 1e-3), y[0], 1e-5);
      assertEquals(0, y[1], 1e-6);
      assertEquals(10 / Math.sqrt(200.0 / 3 + 1e-3), y[5], 1e-5);
    }
  }
}
