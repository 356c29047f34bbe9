package dev.timestep.data.series;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads many series from one long-format CSV file: a header, an id column, a time column and value
 * columns, one row per (id, time), rows in any order ({@link LongFormat} groups and sorts them).
 * Files, missing values, time formats, delimiters and errors follow {@link CsvSeriesReader}: one
 * time format for the whole file, recognised from its first row.
 *
 * <pre>{@code
 * ManySeries stores = LongCsvReader.idColumn("store").timeColumn("date").valueColumns("sales")
 *     .read(Path.of("sales-long.csv"));
 * }</pre>
 *
 * <p>By default the time is the first column that is not the id, and every other column a value.
 * Immutable: each option returns a new reader.
 */
public final class LongCsvReader {
  private final String idColumn;
  private final String timeColumn;
  private final List<String> valueColumns;
  private final CsvSeriesReader cells;

  private LongCsvReader(
      String idColumn, String timeColumn, List<String> valueColumns, CsvSeriesReader cells) {
    this.idColumn = idColumn;
    this.timeColumn = timeColumn;
    this.valueColumns = valueColumns;
    this.cells = cells;
  }

  /** A reader whose series ids are in column {@code name}. */
  public static LongCsvReader idColumn(String name) {
    requireName("idColumn", name);
    return new LongCsvReader(name, null, List.of(), CsvSeriesReader.defaults());
  }

  /** The column that holds the times, by header name. */
  public LongCsvReader timeColumn(String name) {
    requireName("timeColumn", name);
    return new LongCsvReader(idColumn, name, valueColumns, cells);
  }

  /** The value columns to keep, in this order (default: all but the id and the time). */
  public LongCsvReader valueColumns(String... names) {
    if (names == null || names.length == 0) {
      throw new IllegalArgumentException(
          "valueColumns: expected at least one column name, got none");
    }
    for (String n : names) {
      requireName("valueColumns", n);
    }
    return new LongCsvReader(idColumn, timeColumn, List.of(names), cells);
  }

  /** Extra texts that mean "missing", as {@link CsvSeriesReader#missingMarkers}. */
  public LongCsvReader missingMarkers(String... extra) {
    return new LongCsvReader(idColumn, timeColumn, valueColumns, cells.missingMarkers(extra));
  }

  /** The field separator (default ','). */
  public LongCsvReader delimiter(char separator) {
    return new LongCsvReader(idColumn, timeColumn, valueColumns, cells.delimiter(separator));
  }

  /** Reads a UTF-8 file, with the checks of {@link CsvSeriesReader#read(Path)}. */
  public ManySeries read(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("read: expected a CSV file path, got null");
    }
    CsvSeriesReader.checkFile(file);
    try (Reader in =
        new TextOnly(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString())) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("series file not found: " + file, e);
    } catch (CharacterCodingException e) {
      throw CsvSeriesReader.notUtf8(file, e);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException c) {
        throw CsvSeriesReader.notUtf8(file, c);
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read series file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads CSV text; {@code source} names it in messages and in each series. */
  public ManySeries read(Reader in, String source) throws IOException {
    try (CSVParser parser =
        CSVParser.builder()
            .setReader(CsvSeriesReader.withoutByteOrderMark(in))
            .setFormat(cells.format())
            .get()) {
      Iterator<CSVRecord> records = parser.iterator();
      if (!records.hasNext()) {
        throw new IllegalArgumentException(
            source + " is empty: expected a header row (e.g. 'id,date,value') and data rows");
      }
      List<String> header = CsvSeriesReader.header(records.next(), source, cells.delimiter());
      int id = CsvSeriesReader.find(header, idColumn, source);
      int time =
          timeColumn == null ? (id == 0 ? 1 : 0) : CsvSeriesReader.find(header, timeColumn, source);
      if (time == id) {
        throw new IllegalArgumentException(
            source + ": column '" + Quoted.of(idColumn) + "' cannot be both the id and the time");
      }
      int[] values = valueIndices(header, id, time, source);
      return readRows(parser, records, header, id, time, values, source);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CSVException) {
        throw new IllegalArgumentException(
            source + ": malformed CSV: " + e.getCause().getMessage(), e);
      }
      throw e;
    }
  }

  private ManySeries readRows(
      CSVParser parser,
      Iterator<CSVRecord> records,
      List<String> header,
      int id,
      int time,
      int[] values,
      String source) {
    List<String> ids = new ArrayList<>();
    List<LocalDateTime> times = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    TimeFormat format = null;
    while (records.hasNext()) {
      CSVRecord record = records.next();
      long line = parser.getCurrentLineNumber();
      CsvSeriesReader.requireFields(record, header, source, line);
      String timeText = record.get(time);
      String where = CsvSeriesReader.where(source, line, header.get(time));
      format = cells.format(format, timeText, where);
      times.add(cells.readTime(format, timeText, where));
      ids.add(record.get(id));
      float[] row = cells.readValues(record, values, header, source, line);
      rows.add(row);
      lines.add(line);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          source + " has a header " + Quoted.list(header) + " but no data rows");
    }
    float[][] columns = new float[values.length][rows.size()];
    long[] lineOf = new long[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      for (int v = 0; v < values.length; v++) {
        columns[v][r] = rows.get(r)[v];
      }
      lineOf[r] = lines.get(r);
    }
    List<String> names = new ArrayList<>();
    for (int v : values) {
      names.add(header.get(v));
    }
    return LongFormat.group(
        source,
        format,
        ids.toArray(new String[0]),
        times.toArray(new LocalDateTime[0]),
        names,
        columns,
        lineOf);
  }

  private int[] valueIndices(List<String> header, int id, int time, String source) {
    List<Integer> chosen = new ArrayList<>();
    if (valueColumns.isEmpty()) {
      for (int i = 0; i < header.size(); i++) {
        if (i != id && i != time) {
          chosen.add(i);
        }
      }
      if (chosen.isEmpty()) {
        throw new IllegalArgumentException(
            source
                + ": expected an id column, a time column and at least one value column, but the"
                + " header has only "
                + Quoted.list(header));
      }
    } else {
      for (String name : valueColumns) {
        int i = CsvSeriesReader.find(header, name, source);
        if (i == id || i == time) {
          throw new IllegalArgumentException(
              source
                  + ": column '"
                  + Quoted.of(name)
                  + "' is the "
                  + (i == id ? "id" : "time")
                  + " column and cannot also be a value column");
        }
        if (chosen.contains(i)) {
          throw new IllegalArgumentException(
              source + ": value columns repeat a name: " + Quoted.list(valueColumns));
        }
        chosen.add(i);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void requireName(String option, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(option + ": expected a column name, got '" + name + "'");
    }
  }
}
