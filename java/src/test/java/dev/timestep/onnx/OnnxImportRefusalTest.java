package dev.timestep.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.ModelMetadata;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Sequential;
import dev.timestep.onnx.proto.Onnx.AttributeProto;
import dev.timestep.onnx.proto.Onnx.GraphProto;
import dev.timestep.onnx.proto.Onnx.ModelProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import dev.timestep.onnx.proto.Onnx.StringStringEntryProto;
import dev.timestep.onnx.proto.Onnx.TensorProto;
import dev.timestep.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not ONNX, or ONNX that Timestep cannot map, are refused with one line naming the
 * problem, before any model is built and without allocating what a header merely claims.
 */
class OnnxImportRefusalTest {
  @TempDir Path dir;

  @Test
  void truncatedFileIsRefused() throws Exception {
    byte[] whole = Files.readAllBytes(OnnxImportFixtureTest.resource("lstm.onnx"));
    Path cut = dir.resolve("cut.onnx");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    assertRefused(cut, "truncated");
  }

  @Test
  void nonOnnxFilesAreRefused() throws Exception {
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "date,value\n2020-01-01,3.5\n");
    assertRefused(text, "not an ONNX model");
    Path empty = dir.resolve("empty.onnx");
    Files.write(empty, new byte[0]);
    assertRefused(empty, "empty");
    // valid protobuf, but no graph: a number field alone
    Path number = dir.resolve("number.onnx");
    Files.write(number, new byte[] {0x08, 0x07});
    assertRefused(number, "no graph");
  }

  @Test
  void everyUnsupportedNodeIsListedInOneMessage() {
    byte[] bytes =
        edited(
            lstmModel(),
            m -> {
              GraphProto.Builder g = m.getGraph().toBuilder();
              g.addNode(
                  NodeProto.newBuilder().setOpType("Softmax").setName("probabilities").build());
              g.addNode(
                  NodeProto.newBuilder()
                      .setOpType("Attention")
                      .setDomain("com.microsoft")
                      .setName("attn")
                      .build());
              return m.toBuilder().setGraph(g).build();
            });
    OnnxImportException e = refused(bytes);
    assertTrue(
        e.getMessage()
            .contains(
                "2 unsupported nodes: Softmax 'probabilities' (opset 17), "
                    + "com.microsoft.Attention 'attn' (opset 17)"),
        e.getMessage());
  }

  @Test
  void opsetsOutsideElevenToTwentyAreRefused() {
    for (long opset : new long[] {9, 21}) {
      byte[] bytes =
          edited(
              lstmModel(),
              m ->
                  m.toBuilder()
                      .setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(opset))
                      .build());
      OnnxImportException e = refused(bytes);
      assertTrue(e.getMessage().contains("opset " + opset + " is outside"), e.getMessage());
    }
  }

  @Test
  void aTensorClaimingTwoGigabytesIsRefusedWithoutAllocatingThem() {
    // a header claiming [2^29, 4] floats (2 GB) over 3 values
    byte[] bytes =
        edited(
            lstmModel(),
            m -> {
              TensorProto huge =
                  TensorProto.newBuilder()
                      .setName("huge")
                      .setDataType(TensorProto.DataType.FLOAT_VALUE)
                      .addDims(1L << 29)
                      .addDims(4)
                      .setRawData(ByteString.copyFrom(new byte[12]))
                      .build();
              return m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(huge)).build();
            });
    OnnxImportException e = refused(bytes);
    assertTrue(e.getMessage().contains("tensor 'huge' claims dimensions"), e.getMessage());
    // and a protobuf length prefix claiming 2 GB of bytes that are not there
    byte[] claim = {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x0a};
    assertTrue(refused(claim).getMessage().contains("truncated"));
  }

  @Test
  void gruWithLinearBeforeResetZeroIsRefused() {
    byte[] bytes =
        edited(
            model(new Sequential(new GRU(3)), Shape.of(4, 2)),
            m -> editNode(m, "GRU", n -> setInt(n, "linear_before_reset", 0)));
    OnnxImportException e = refused(bytes);
    assertTrue(e.getMessage().contains("linear_before_reset=0"), e.getMessage());
    assertTrue(e.getMessage().contains("reset_after"), e.getMessage());
  }

  @Test
  void nonZeroInitialStatesAndSequenceLengthsAreRefused() {
    byte[] initial =
        edited(
            lstmModel(),
            m ->
                withInitializer(
                    editNode(m, "LSTM", n -> withInput(n, 5, "h0")), "h0", new float[] {1, 0, 0}));
    assertTrue(refused(initial).getMessage().contains("non-zero initial_h"));
    byte[] lengths =
        edited(
            lstmModel(),
            m ->
                withInitializer(
                    editNode(m, "LSTM", n -> withInput(n, 4, "lengths")), "lengths", new float[3]));
    assertTrue(refused(lengths).getMessage().contains("constant sequence_lens"));
  }

  @Test
  void externalWeightsAreRefused() {
    byte[] bytes =
        edited(
            lstmModel(),
            m -> {
              GraphProto.Builder g = m.getGraph().toBuilder();
              TensorProto w = g.getInitializer(0);
              g.setInitializer(
                  0,
                  w.toBuilder()
                      .clearFloatData()
                      .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                      .addExternalData(
                          StringStringEntryProto.newBuilder()
                              .setKey("location")
                              .setValue("weights.bin")));
              return m.toBuilder().setGraph(g).build();
            });
    OnnxImportException e = refused(bytes);
    assertTrue(e.getMessage().contains("external file (weights.bin)"), e.getMessage());
  }

  private static ModelProto lstmModel() {
    return model(new Sequential(new LSTM(3), new Dense(1)), Shape.of(4, 2));
  }

  private static ModelProto model(Sequential m, Shape sample) {
    try (Sequential model = m.backend(ReferenceBackend.float32())) {
      model.build(sample);
      return OnnxExport.toProto(model, ModelMetadata.EMPTY);
    }
  }

  private static byte[] edited(ModelProto m, UnaryOperator<ModelProto> edit) {
    return edit.apply(m).toByteArray();
  }

  private static ModelProto editNode(
      ModelProto m, String op, UnaryOperator<NodeProto.Builder> edit) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getOpType().equals(op)) {
        g.setNode(i, edit.apply(g.getNode(i).toBuilder()));
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  private static NodeProto.Builder setInt(NodeProto.Builder n, String name, long value) {
    for (int i = 0; i < n.getAttributeCount(); i++) {
      if (n.getAttribute(i).getName().equals(name)) {
        n.setAttribute(i, n.getAttribute(i).toBuilder().setI(value));
        return n;
      }
    }
    return n.addAttribute(
        AttributeProto.newBuilder()
            .setName(name)
            .setType(AttributeProto.AttributeType.INT)
            .setI(value));
  }

  private static NodeProto.Builder withInput(NodeProto.Builder n, int index, String name) {
    while (n.getInputCount() <= index) {
      n.addInput("");
    }
    return n.setInput(index, name);
  }

  private static ModelProto withInitializer(ModelProto m, String name, float[] values) {
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(values.length);
    for (float v : values) {
      t.addFloatData(v);
    }
    return m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(t)).build();
  }

  private static OnnxImportException refused(byte[] bytes) {
    OnnxImportException e =
        assertThrows(
            OnnxImportException.class,
            () -> OnnxImport.fromBytes(bytes, "model.onnx", ReferenceBackend.float32()).close());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("model.onnx"), e.getMessage());
    return e;
  }

  private static void assertRefused(Path file, String expected) throws IOException {
    OnnxImportException e =
        assertThrows(
            OnnxImportException.class,
            () -> OnnxImport.load(file, ReferenceBackend.float32()).close());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
