package dev.timestep.benchmarks;

import dev.timestep.backend.Activation;
import dev.timestep.backend.ConvPadding;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.Conv1D;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Sequential;
import dev.timestep.onnx.OnnxImport;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Predict with the chapter's Conv1D + GRU model imported from PyTorch's ONNX export (the test
 * fixture) against the same model built with the Java API: the import folds PyTorch's transposes
 * and squeezes into the fused layers, so both should take the same time. A batch of 32 windows of
 * 50 steps on cpu. Run from the repository root (it reads the fixture from
 * java/src/test/resources/fixtures/onnx/).
 */
public class OnnxImportBenchmark extends StepBenchmark {
  static final Path FIXTURE = Path.of("java/src/test/resources/fixtures/onnx/conv_gru.onnx");

  /** imported (from the ONNX file) or native (built with the Java API, the same weights). */
  @Param({"imported", "native"})
  public String model;

  @Param({"cpu"})
  public String backend;

  private SavedModel imported;
  private Sequential built;
  private Sequential used;
  private NDArray x;

  @Setup
  public void setup() throws Exception {
    if (!Files.isRegularFile(FIXTURE)) {
      throw new IllegalStateException(
          "OnnxImportBenchmark reads " + FIXTURE + ": run it from the repository root");
    }
    var b = BenchmarkBackends.resolve(backend, "OnnxImportBenchmark");
    imported = OnnxImport.load(FIXTURE, b);
    built =
        new Sequential(
                new Conv1D(20, 4).strides(2).padding(ConvPadding.VALID),
                new GRU(20).returnSequences(true),
                new GRU(20).returnSequences(true),
                new Dense(10, Activation.LINEAR))
            .backend(b);
    built.build(Shape.of(4, 1));
    built.setWeights(imported.model().getWeights());
    used = model.equals("native") ? built : imported.model();
    SplittableRandom r = new SplittableRandom(1);
    float[] v = new float[32 * 50];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    x = NDArray.of(v, 32, 50, 1);
  }

  @Benchmark
  public NDArray predict() {
    return used.predict(x);
  }

  @TearDown
  public void close() {
    built.close();
    imported.close();
  }
}
