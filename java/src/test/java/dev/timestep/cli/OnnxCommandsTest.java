package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.ModelFile;
import dev.timestep.io.SavedModel;
import dev.timestep.onnx.OnnxImport;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code timestep import} and {@code timestep export}: ONNX in, model file out, and back. */
class OnnxCommandsTest {
  @TempDir Path dir;

  @Test
  void importsPyTorchsOnnxAndExportsItAgain() throws Exception {
    Path onnx = Path.of(getClass().getResource("/fixtures/onnx/gru.onnx").toURI());
    Path tsm = dir.resolve("gru.tsm");
    CliRun imported = CliRun.of("import", onnx.toString(), "--out", tsm.toString());
    assertEquals(0, imported.code(), imported.toString());
    assertTrue(imported.out().contains("gru"), imported.out());
    Path back = dir.resolve("gru.onnx");
    CliRun exported = CliRun.of("export", tsm.toString(), "--out", back.toString());
    assertEquals(0, exported.code(), exported.toString());
    NDArray x =
        new NDArray(
            Shape.of(2, 7, 1), new float[] {1, -2, 3, 0.5f, 0, 1, 2, 3, 2, 1, 0, -1, -2, -3});
    try (SavedModel a = ModelFile.load(tsm, ReferenceBackend.float32());
        SavedModel b = OnnxImport.load(back, ReferenceBackend.float32())) {
      assertArrayEquals(a.model().predict(x).data(), b.model().predict(x).data());
    }
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedWithOneLine() throws Exception {
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "not a model\n");
    Path tsm = dir.resolve("out.tsm");
    CliRun r = CliRun.of("import", text.toString(), "--out", tsm.toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.errorLine().contains("not an ONNX model"), r.toString());
    assertFalse(Files.exists(tsm));
  }
}
