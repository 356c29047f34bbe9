package dev.timestep.nn.callbacks;

import dev.timestep.io.AtomicFiles;
import dev.timestep.nn.Callback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one CSV row per epoch, as Keras' {@code CSVLogger}: a header {@code epoch} and the epoch
 * logs' keys sorted by name (fixed at the first epoch; a key missing later is written {@code NA}),
 * then the 0-based epoch and each value. Separator ',' by default; {@code append} keeps an existing
 * file's rows and adds the header only if that file is empty.
 *
 * <p>The file is never left half-written: after every epoch the whole content (the rows of an
 * appended file, read once at the start, plus this fit's rows) is written through the library's
 * atomic writes, so a reader, a crash or a failed write sees the previous epoch's complete file.
 * The price is rewriting the file each epoch, which is nothing for a log of epochs. Rows appended
 * to the file by someone else during the fit are lost.
 */
public final class CsvLogger extends Callback {
  /** An existing file appended to is read whole; a training log is far smaller than this. */
  private static final long MAX_EXISTING_BYTES = 64L << 20;

  private final Path file;
  private char separator = ',';
  private boolean append;
  private final StringBuilder content = new StringBuilder();
  private boolean writeHeader;
  private List<String> keys;

  /** Logs to {@code file}. */
  public CsvLogger(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("CsvLogger needs a file");
    }
    this.file = file;
  }

  /** The field separator, one character other than a quote or a line break; ',' by default. */
  public CsvLogger separator(char separator) {
    if (separator == '"' || separator == '\n' || separator == '\r') {
      throw new IllegalArgumentException(
          "CsvLogger: the separator cannot be a quote or a line break");
    }
    this.separator = separator;
    return this;
  }

  /** Keep an existing file's rows and add to them; false (replace the file) by default. */
  public CsvLogger append(boolean append) {
    this.append = append;
    return this;
  }

  /** Checks the file can be written and, when appending, reads what it holds. */
  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    content.setLength(0);
    keys = null;
    writeHeader = true;
    try {
      AtomicFiles.createFolders(file);
      if (append && Files.exists(file)) {
        long size = Files.size(file);
        if (size > MAX_EXISTING_BYTES) {
          throw new IllegalArgumentException(
              "CsvLogger: "
                  + file
                  + " holds "
                  + size
                  + " bytes, more than a training log appended to may ("
                  + MAX_EXISTING_BYTES
                  + ")");
        }
        String existing = Files.readString(file, StandardCharsets.UTF_8);
        content.append(existing);
        if (!existing.isEmpty() && !existing.endsWith("\n")) {
          content.append('\n');
        }
        writeHeader = existing.isEmpty() || existing.startsWith("\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CsvLogger could not read " + file, e);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (keys == null) {
      keys = new ArrayList<>(logs.keySet());
      keys.sort(null);
      if (writeHeader) {
        List<String> header = new ArrayList<>();
        header.add("epoch");
        header.addAll(keys);
        appendRow(header);
      }
    }
    List<String> row = new ArrayList<>();
    row.add(String.valueOf(epoch));
    for (String key : keys) {
      Double v = logs.get(key);
      row.add(v == null ? "NA" : String.valueOf(v));
    }
    appendRow(row);
    byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
    try {
      AtomicFiles.write(file, out -> out.write(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "CsvLogger could not write epoch " + (epoch + 1) + " to " + file, e);
    }
  }

  private void appendRow(List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        content.append(separator);
      }
      content.append(quoted(fields.get(i)));
    }
    content.append('\n');
  }

  /** A field as CSV writes it: quoted when it holds the separator, a quote or a line break. */
  private String quoted(String field) {
    boolean needs =
        field.indexOf(separator) >= 0
            || field.indexOf('"') >= 0
            || field.indexOf('\n') >= 0
            || field.indexOf('\r') >= 0;
    return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
  }
}
