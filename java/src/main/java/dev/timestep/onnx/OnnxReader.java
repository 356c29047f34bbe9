package dev.timestep.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.timestep.onnx.proto.Onnx.ModelProto;
import dev.timestep.onnx.proto.Onnx.OperatorSetIdProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an ONNX file into its protobuf message and checks what every import needs: a graph, and an
 * opset of the default domain from {@value #MIN_OPSET} to {@value #MAX_OPSET}. The file is read
 * whole (protobuf's own limit is 2 GB), so no length claimed inside it can make the parser allocate
 * more than the file holds.
 */
final class OnnxReader {
  static final int MIN_OPSET = 11;
  static final int MAX_OPSET = 20;

  /** A protobuf message cannot exceed 2 GB; a larger file is no ONNX model with inline weights. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private OnnxReader() {}

  static ModelProto read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.io.FileNotFoundException(file + " (not a regular file)");
    }
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new OnnxImportException(
          file + ": " + size + " bytes is more than the 2 GB an ONNX model can hold");
    }
    if (size == 0) {
      throw new OnnxImportException(file + ": the file is empty, not an ONNX model");
    }
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses and checks {@code bytes}; {@code source} names them in messages. */
  static ModelProto parse(byte[] bytes, String source) {
    ModelProto model;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      // tensors' raw bytes stay views of the file's bytes rather than copies
      in.enableAliasing(true);
      model = ModelProto.parseFrom(in);
      in.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxImportException(
          source + ": not an ONNX model, or a truncated one (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new OnnxImportException(source + ": cannot be parsed (" + e.getMessage() + ")", e);
    }
    if (!model.hasGraph() || model.getIrVersion() < 1 || model.getOpsetImportCount() == 0) {
      throw new OnnxImportException(
          source
              + ": not an ONNX model (no "
              + (!model.hasGraph() ? "graph" : model.getIrVersion() < 1 ? "IR version" : "opset")
              + ")");
    }
    int opset = opset(model);
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new OnnxImportException(
          source
              + ": opset "
              + opset
              + " is outside the opsets "
              + MIN_OPSET
              + " to "
              + MAX_OPSET
              + " that Timestep imports; re-export with an opset in that range");
    }
    return model;
  }

  /** The version of the default (ai.onnx) operator set, or -1 when the model imports none. */
  static int opset(ModelProto model) {
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        return (int) o.getVersion();
      }
    }
    return -1;
  }
}
