package dev.timestep.stream;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A stream's state on the Java heap, detached from any model or device: what {@link
 * ForecastStream#snapshot} returns and {@link ForecastStream#restore} takes, so a server can park a
 * stream (in memory, or on disk through {@link #toBytes}) and resume it later, on any backend.
 * Immutable: the arrays are copied in and out.
 *
 * <p>An incremental stream's state is, in layer order, every recurrent layer's states (h, then c
 * for an LSTM, each of its layer's units) and every causal or 'valid' convolution's last (kernel -
 * 1)·dilation inputs, oldest first, then, for a model with a strided or 'valid' convolution, the
 * forecast of its last output (empty before the first); a full-window stream's is its last
 * observations, oldest first.
 */
public final class StreamState {
  private static final int MAGIC = 0x54535354; // "TSST"
  private static final int VERSION = 1;

  private final StreamMode mode;
  private final long steps;
  private final float[][] values;

  StreamState(StreamMode mode, long steps, float[][] values) {
    this.mode = mode;
    this.steps = steps;
    this.values = new float[values.length][];
    for (int i = 0; i < values.length; i++) {
      this.values[i] = values[i].clone();
    }
  }

  /** How the stream that made this state forecasts. */
  public StreamMode mode() {
    return mode;
  }

  /** How many observations the stream had seen. */
  public long steps() {
    return steps;
  }

  /** The number of arrays: recurrent states, or 1 (the window) for a full-window stream. */
  public int arrays() {
    return values.length;
  }

  /** A copy of array {@code i}. */
  public float[] array(int i) {
    return values[i].clone();
  }

  float[] arrayView(int i) {
    return values[i];
  }

  /** The state as bytes (little-endian, versioned), for {@link #fromBytes}. */
  public byte[] toBytes() {
    int floats = 0;
    for (float[] v : values) {
      floats += v.length;
    }
    ByteBuffer buf =
        ByteBuffer.allocate(4 * 4 + 8 + 4 * values.length + 4 * floats)
            .order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(VERSION).putInt(mode.ordinal()).putLong(steps).putInt(values.length);
    for (float[] v : values) {
      buf.putInt(v.length);
    }
    for (float[] v : values) {
      for (float f : v) {
        buf.putFloat(f);
      }
    }
    return buf.array();
  }

  /**
   * A state read back from {@link #toBytes}.
   *
   * @throws IllegalArgumentException for bytes that are not a stream state of this version,
   *     truncated or with trailing bytes
   */
  public static StreamState fromBytes(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("StreamState.fromBytes: bytes must not be null");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (buf.getInt() != MAGIC) {
        throw new IllegalArgumentException("StreamState.fromBytes: not a stream state");
      }
      int version = buf.getInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "StreamState.fromBytes: version " + version + ", this library reads " + VERSION);
      }
      int modeIndex = buf.getInt();
      if (modeIndex < 0 || modeIndex >= StreamMode.values().length) {
        throw new IllegalArgumentException("StreamState.fromBytes: unknown mode " + modeIndex);
      }
      long steps = buf.getLong();
      int count = buf.getInt();
      if (steps < 0 || count < 0 || count > buf.remaining() / 4) {
        throw new IllegalArgumentException(
            "StreamState.fromBytes: corrupt header (steps " + steps + ", arrays " + count + ")");
      }
      int[] lengths = new int[count];
      long total = 0;
      for (int i = 0; i < count; i++) {
        lengths[i] = buf.getInt();
        total += lengths[i];
        if (lengths[i] < 0 || total * 4 > buf.remaining()) {
          throw new IllegalArgumentException(
              "StreamState.fromBytes: array " + i + " is longer than the bytes left");
        }
      }
      if (total * 4 != buf.remaining()) {
        throw new IllegalArgumentException(
            "StreamState.fromBytes: "
                + (buf.remaining() - total * 4)
                + " bytes after the last array");
      }
      float[][] values = new float[count][];
      for (int i = 0; i < count; i++) {
        values[i] = new float[lengths[i]];
        for (int j = 0; j < lengths[i]; j++) {
          values[i][j] = buf.getFloat();
        }
      }
      return new StreamState(StreamMode.values()[modeIndex], steps, values);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("StreamState.fromBytes: truncated", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamState s
        && s.mode == mode
        && s.steps == steps
        && Arrays.deepEquals(s.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values) * 31 + Long.hashCode(steps);
  }

  @Override
  public String toString() {
    return "StreamState(" + mode + ", " + steps + " steps, " + values.length + " arrays)";
  }
}
