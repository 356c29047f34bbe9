package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.timestep.backend.cuda.CudaProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Where nvcc exists and the build did not opt out (-Dts.cuda=OFF), the jar must carry the real CUDA
 * kernels, not the stub: CMake's CUDA detection silently falling back would otherwise go unnoticed
 * on a machine without a GPU.
 */
class CudaBuildTest {

  @Test
  void buildsWithNvccCarryTheCudaKernels() {
    boolean nvcc = Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"));
    String mode = System.getProperty("ts.cuda", "AUTO");
    assumeTrue(
        nvcc && !mode.equalsIgnoreCase("OFF"),
        "no nvcc at /usr/local/cuda, or built with -Dts.cuda=OFF");
    assertTrue(CudaProbe.kernelsCompiled(), "nvcc is present but libtimestep_cuda is the stub");
  }
}
