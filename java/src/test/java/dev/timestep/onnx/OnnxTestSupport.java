package dev.timestep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.timestep.backend.Backend;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaTests;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/** What the ONNX tests share: backends by name, random arrays, ONNX Runtime, a max-diff check. */
final class OnnxTestSupport {
  private OnnxTestSupport() {}

  static Backend backend(String name) {
    return switch (name) {
      case "cpu" -> CpuBackend.get();
      case "cuda" -> {
        CudaTests.assumeUsable();
        yield CudaBackend.get();
      }
      default -> ReferenceBackend.float32();
    };
  }

  /** Uniform values in [-scale, scale). */
  static NDArray random(Shape shape, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return new NDArray(shape, v);
  }

  /** Runs an ONNX model in ONNX Runtime on one input named "input" and returns its first output. */
  static NDArray runInOnnxRuntime(byte[] model, NDArray x) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
          OnnxTensor input =
              OnnxTensor.createTensor(
                  env,
                  FloatBuffer.wrap(x.data()),
                  Arrays.stream(x.shape().dims()).asLongStream().toArray());
          OrtSession.Result result = session.run(Map.of("input", input))) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        long[] dims = out.getInfo().getShape();
        FloatBuffer buffer = out.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return new NDArray(Shape.of(Arrays.stream(dims).mapToInt(d -> (int) d).toArray()), values);
      }
    }
  }

  /** Same shape, and every value within {@code tolerance} of the expected one. */
  static void assertClose(NDArray expected, NDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape().dims(), actual.shape().dims(), what + ": shape");
    double worst = 0;
    double scale = 0;
    for (int i = 0; i < expected.data().length; i++) {
      worst = Math.max(worst, Math.abs((double) expected.data()[i] - actual.data()[i]));
      scale = Math.max(scale, Math.abs(expected.data()[i]));
    }
    assertTrue(
        worst <= tolerance,
        what + ": max |difference| " + worst + " exceeds " + tolerance + " (max |value| " + scale);
    assertTrue(scale > 1e-3, what + ": the outputs are all near zero, which proves nothing");
  }
}
