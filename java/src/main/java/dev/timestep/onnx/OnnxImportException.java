package dev.timestep.onnx;

/**
 * An ONNX file that cannot become a Timestep model: not ONNX, truncated, an opset outside 11 to 20,
 * tensors the file does not hold, or operators and patterns Timestep has no layer for (all of them
 * named in one message). Thrown before any model is built, so nothing is left half made. The
 * message is one line that names the file and the problem.
 */
public final class OnnxImportException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OnnxImportException(String message) {
    super(oneLine(message));
  }

  public OnnxImportException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** Parser messages span lines; one line reads well in a CLI. */
  private static String oneLine(String message) {
    return message == null ? null : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
