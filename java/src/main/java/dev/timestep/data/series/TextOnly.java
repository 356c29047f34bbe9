package dev.timestep.data.series;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes text through and refuses a NUL character, which no CSV text has but UTF-16 text and binary
 * files (a model file, an image) do: without it they would fail later with messages quoting
 * garbage.
 */
final class TextOnly extends FilterReader {
  private final String source;
  private long line = 1;

  TextOnly(Reader in, String source) {
    super(in);
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    char[] one = new char[1];
    return read(one, 0, 1) == -1 ? -1 : one[0];
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    for (int i = offset; i < offset + n; i++) {
      if (buffer[i] == '\0') {
        throw new IllegalArgumentException(
            source
                + " line "
                + line
                + ": has a NUL character, so it is not a UTF-8 "
                + "CSV text (UTF-16 text, a model file or an image are not); convert it to UTF-8 text");
      }
      if (buffer[i] == '\n') {
        line++;
      }
    }
    return n;
  }
}
