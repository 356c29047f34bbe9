package dev.timestep.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The byte layout of a model file (docs/MODEL-FORMAT.md): magic, format version, header and payload
 * lengths, the JSON header padded to 8 bytes, the float32 payload, and a CRC32 of all of it.
 * Reading checks, in this order, the magic, the version, the length, the checksum, so each kind of
 * bad file gets its own one-line message.
 */
final class ModelContainer {
  /**
   * "\x89TSM\r\n\x1a\n": the high byte and line endings expose 7-bit and text-mode copies, as in
   * PNG.
   */
  static final byte[] MAGIC = {(byte) 0x89, 'T', 'S', 'M', '\r', '\n', 0x1a, '\n'};

  static final int VERSION = 1;

  /** Magic (8), version (4), header length (4), payload length (8). */
  static final int PREFIX_BYTES = 24;

  static final int CRC_BYTES = 4;
  static final int ALIGN = 8;
  private static final int CHUNK_FLOATS = 8192;

  private ModelContainer() {}

  /** A read, checked file: its header's JSON bytes and its payload (little-endian). */
  record Contents(byte[] header, ByteBuffer payload) {
    /** The values of one tensor of the table. */
    float[] floats(TensorEntry e) {
      ByteBuffer b = payload.duplicate();
      b.position(Math.toIntExact(e.offset()));
      b.limit(Math.toIntExact(e.offset() + e.length()));
      float[] out = new float[e.count()];
      b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
  }

  /** Writes a whole model file: {@code tensors} back to back, in the header table's order. */
  static void write(OutputStream raw, byte[] headerJson, List<float[]> tensors) throws IOException {
    int pad = (ALIGN - headerJson.length % ALIGN) % ALIGN;
    long payloadBytes = 0;
    for (float[] t : tensors) {
      payloadBytes += 4L * t.length;
    }
    CRC32 crc = new CRC32();
    CheckedOutputStream out = new CheckedOutputStream(raw, crc);
    ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    prefix.put(MAGIC).putInt(VERSION).putInt(headerJson.length + pad).putLong(payloadBytes);
    out.write(prefix.array());
    out.write(headerJson);
    for (int i = 0; i < pad; i++) {
      out.write(' '); // JSON ignores trailing whitespace, so the header stays valid JSON
    }
    ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] t : tensors) {
      for (int from = 0; from < t.length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, t.length - from);
        chunk.clear();
        chunk.asFloatBuffer().put(t, from, n);
        out.write(chunk.array(), 0, 4 * n);
      }
    }
    ByteBuffer tail = ByteBuffer.allocate(CRC_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    tail.putInt((int) crc.getValue());
    raw.write(tail.array());
  }

  /**
   * Reads and checks a model file.
   *
   * @throws ModelFileException when it is not a model file, is of another format version, is
   *     truncated or has extra bytes, or fails its checksum
   */
  static Contents read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer prefix =
          ByteBuffer.allocate((int) Math.min(size, PREFIX_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, prefix, 0);
      int magicSeen = (int) Math.min(size, MAGIC.length);
      for (int i = 0; i < magicSeen; i++) {
        if (prefix.get(i) != MAGIC[i]) {
          throw new ModelFileException(
              "model file "
                  + file
                  + " is not a Timestep model file: it starts with "
                  + hex(prefix, magicSeen)
                  + " where a model file starts with "
                  + hex(ByteBuffer.wrap(MAGIC), 8));
        }
      }
      if (size < MAGIC.length + 4) {
        throw truncated(file, size, PREFIX_BYTES + CRC_BYTES);
      }
      int version = prefix.getInt(MAGIC.length);
      if (version != VERSION) {
        throw new ModelFileException(
            file
                + ": model file format version "
                + Integer.toUnsignedString(version)
                + ", this build reads version "
                + VERSION);
      }
      if (size < PREFIX_BYTES) {
        throw truncated(file, size, PREFIX_BYTES + CRC_BYTES);
      }
      long headerBytes = Integer.toUnsignedLong(prefix.getInt(12));
      long payloadBytes = prefix.getLong(16);
      if (payloadBytes < 0 || payloadBytes > Long.MAX_VALUE / 2) {
        throw new ModelFileException(
            "model file "
                + file
                + " is corrupted: its prefix gives an impossible payload "
                + "length of "
                + Long.toUnsignedString(payloadBytes)
                + " bytes");
      }
      long expected = PREFIX_BYTES + headerBytes + payloadBytes + CRC_BYTES;
      if (size < expected) {
        throw truncated(file, size, expected);
      }
      if (size > expected) {
        throw new ModelFileException(
            "model file "
                + file
                + " is corrupted: it has "
                + (size - expected)
                + " unexpected bytes after its checksum ("
                + size
                + " bytes, its prefix says "
                + expected
                + ")");
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new ModelFileException(
            "model file "
                + file
                + " has "
                + size
                + " bytes; this build reads model files of "
                + "at most 2 GiB");
      }
      ByteBuffer all = ByteBuffer.allocate((int) size);
      readFully(ch, all, 0);
      byte[] bytes = all.array();
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, (int) size - CRC_BYTES);
      long stored =
          Integer.toUnsignedLong(
              ByteBuffer.wrap(bytes, (int) size - CRC_BYTES, CRC_BYTES)
                  .order(ByteOrder.LITTLE_ENDIAN)
                  .getInt());
      if (stored != crc.getValue()) {
        throw new ModelFileException(
            String.format(
                "model file %s is corrupted: CRC32 mismatch (stored 0x%08x, " + "computed 0x%08x)",
                file, stored, crc.getValue()));
      }
      if (headerBytes % ALIGN != 0) {
        throw new ModelFileException(
            "model file "
                + file
                + " is invalid: its header length "
                + headerBytes
                + " is not a multiple of "
                + ALIGN);
      }
      byte[] header = new byte[(int) headerBytes];
      System.arraycopy(bytes, PREFIX_BYTES, header, 0, header.length);
      ByteBuffer payload =
          ByteBuffer.wrap(bytes, PREFIX_BYTES + header.length, (int) payloadBytes)
              .slice()
              .order(ByteOrder.LITTLE_ENDIAN);
      return new Contents(header, payload);
    }
  }

  private static ModelFileException truncated(Path file, long size, long expected) {
    return new ModelFileException(
        "model file "
            + file
            + " is truncated: it has "
            + size
            + " bytes, "
            + (expected == PREFIX_BYTES + CRC_BYTES
                ? "too few for a model file's fixed fields (" + expected + ")"
                : "its prefix says " + expected));
  }

  private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, at);
      if (n < 0) {
        throw new IOException("the file shrank while it was read (at byte " + at + ")");
      }
      at += n;
    }
  }

  private static String hex(ByteBuffer b, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02X", b.get(i) & 0xff));
    }
    return count == 0 ? "(nothing)" : sb.toString();
  }
}
