package dev.timestep.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.conformance.Tolerance;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * On a GPU, every GEMM mode (own kernels, cuBLAS when it loads, the automatic choice) gives the
 * reference's products for all transpose and accumulate combinations, on a product below and one
 * above AUTO's 2^21 multiply-adds. Without cuBLAS the cublas mode falls back to the own kernels, so
 * this runs either way; the GEMM library the run used is in the failure messages. Skipped where no
 * CUDA device is usable.
 */
class CudaGemmTest {
  private static final int[][] SHAPES = {
    {17, 33, 5}, {300, 200, 100}
  }; // m, n, k: 2805 and 6e6 multiply-adds

  private static CudaBackend cuda() {
    CudaTests.assumeUsable();
    return CudaBackend.get();
  }

  @Test
  void theLibraryIsCublas13OrSaysWhyNot() {
    String library = cuda().gemmLibrary();
    assertTrue(library.startsWith("cuBLAS 13") || library.startsWith("none: "), library);
    assertTrue(cuda().description().contains("GEMM"), cuda().description());
  }

  @Test
  void everyModeMatchesTheReference() {
    CudaBackend cuda = cuda();
    String library = cuda.gemmLibrary();
    ReferenceBackend ref = ReferenceBackend.float32();
    SplittableRandom random = new SplittableRandom(21);
    try (Scope scope = new Scope()) {
      for (GemmMode mode : GemmMode.values()) {
        assertEquals(
            0, CudaNative.ts_cuda_gemm_set_mode(mode.code()), CudaNative::ts_cuda_last_error);
        for (int[] s : SHAPES) {
          for (int flags = 0; flags < 8; flags++) {
            boolean ta = (flags & 1) != 0;
            boolean tb = (flags & 2) != 0;
            boolean acc = (flags & 4) != 0;
            NDArray a =
                ta
                    ? TestArrays.uniform(random, -1, 1, s[2], s[0])
                    : TestArrays.uniform(random, -1, 1, s[0], s[2]);
            NDArray b =
                tb
                    ? TestArrays.uniform(random, -1, 1, s[1], s[2])
                    : TestArrays.uniform(random, -1, 1, s[2], s[1]);
            NDArray c = TestArrays.uniform(random, -1, 1, s[0], s[1]);
            Tensor cc = cuda.upload(c, scope);
            Tensor rc = ref.upload(c, scope);
            cuda.matmul(cuda.upload(a, scope), ta, cuda.upload(b, scope), tb, cc, acc);
            ref.matmul(ref.upload(a, scope), ta, ref.upload(b, scope), tb, rc, acc);
            // The conformance suite's bound for arithmetic: |cuda - ref| <= 1e-5 + 1e-4 * |ref| per
            // element.
            double err =
                Tolerance.FLOAT32.worstRatio(cuda.download(cc).data(), ref.download(rc).data());
            String what =
                String.format(
                    "mode %s, %dx%dx%d%s%s%s, GEMM library %s",
                    mode.text(),
                    s[0],
                    s[1],
                    s[2],
                    ta ? " tA" : "",
                    tb ? " tB" : "",
                    acc ? " acc" : "",
                    library);
            assertTrue(err <= 1, () -> what + ": error " + err + " times the allowed");
          }
        }
      }
    } finally {
      CudaNative.ts_cuda_gemm_set_mode(cuda.gemmMode().code());
    }
  }

  @Test
  void anUnknownModeIsRefused() {
    cuda();
    assertEquals(1, CudaNative.ts_cuda_gemm_set_mode(3)); // TS_ERR_INVALID_ARGUMENT
    assertTrue(
        CudaNative.ts_cuda_last_error().contains("gemm_set_mode"), CudaNative.ts_cuda_last_error());
  }
}
