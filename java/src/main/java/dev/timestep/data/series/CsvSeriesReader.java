package dev.timestep.data.series;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a {@link TimeSeries} from CSV text with a header row: one time column and one or more
 * numeric value columns. Missing values (see {@link MissingMarkers}) become NaN and are counted by
 * the series; any other text that is not a number fails with the file, line, column and text.
 *
 * <pre>{@code
 * TimeSeries s = CsvSeriesReader.defaults().timeColumn("date").valueColumns("co2")
 *     .missingMarkers("-99.99").read(Path.of("co2.csv"));
 * }</pre>
 *
 * <p>By default the first column is the time and every other column a value, fields are
 * comma-separated and the time format is recognised from the first row; {@link #delimiter} and
 * {@link #timeFormat(TimeFormat)} read other files, e.g. {@code delimiter(';')
 * .timeFormat(TimeFormat.ofPattern("dd.MM.yyyy"))}. Immutable: each option returns a new reader.
 */
public final class CsvSeriesReader {
  /**
   * The largest CSV file {@link #read(Path)} takes: far more than a series a model trains on in
   * memory.
   */
  public static final long MAX_FILE_BYTES = 256L << 20;

  /** A number written with a decimal comma, as European spreadsheets export it: 1,5 or -1.234,5. */
  private static final Pattern DECIMAL_COMMA =
      Pattern.compile("[+-]?(\\d{1,3}(\\.\\d{3})+|\\d+),\\d+([eE][+-]?\\d+)?");

  private final String timeColumn;
  private final List<String> valueColumns;
  private final MissingMarkers markers;
  private final char delimiter;
  private final TimeFormat timeFormat;

  private CsvSeriesReader(
      String timeColumn,
      List<String> valueColumns,
      MissingMarkers markers,
      char delimiter,
      TimeFormat timeFormat) {
    this.timeColumn = timeColumn;
    this.valueColumns = valueColumns;
    this.markers = markers;
    this.delimiter = delimiter;
    this.timeFormat = timeFormat;
  }

  /**
   * First column = time, all others = values, comma-separated, time format recognised, standard
   * missing markers.
   */
  public static CsvSeriesReader defaults() {
    return new CsvSeriesReader(null, List.of(), MissingMarkers.standard(), ',', null);
  }

  /** The column that holds the times, by header name. */
  public CsvSeriesReader timeColumn(String name) {
    requireName("timeColumn", name);
    return new CsvSeriesReader(name, valueColumns, markers, delimiter, timeFormat);
  }

  /** The value columns to keep, by header name, in this order (default: all but the time). */
  public CsvSeriesReader valueColumns(String... names) {
    if (names == null || names.length == 0) {
      throw new IllegalArgumentException(
          "valueColumns: expected at least one column name, got none");
    }
    for (String n : names) {
      requireName("valueColumns", n);
    }
    return new CsvSeriesReader(timeColumn, List.of(names), markers, delimiter, timeFormat);
  }

  /**
   * Extra texts that mean "missing" in this file, such as {@code "-99.99"} or {@code "-1"} (numbers
   * match by value). Empty cells, NA, N/A, NaN and null are always missing.
   */
  public CsvSeriesReader missingMarkers(String... extra) {
    return new CsvSeriesReader(
        timeColumn, valueColumns, markers.with(extra), delimiter, timeFormat);
  }

  /**
   * The field separator (default ','), e.g. ';', '\t' or '|'. Values always use '.' as the decimal
   * point: a decimal comma ({@code 1,5} in a ';'-separated file) is refused naming the cell.
   *
   * @throws IllegalArgumentException for a character that is part of a value or a time: a quote,
   *     line break, space, letter, digit, '.', '-', '+' or ':'
   */
  public CsvSeriesReader delimiter(char separator) {
    if (separator == '"'
        || separator == '\n'
        || separator == '\r'
        || separator == ' '
        || Character.isLetterOrDigit(separator)
        || ".-+:".indexOf(separator) >= 0) {
      throw new IllegalArgumentException(
          "delimiter: cannot be a quote, line break, space, letter, digit, '.', '-', '+' or ':' "
              + "(they are part of values and times), got '"
              + Quoted.of(String.valueOf(separator))
              + "'");
    }
    return new CsvSeriesReader(timeColumn, valueColumns, markers, separator, timeFormat);
  }

  /** The field separator. */
  public char delimiter() {
    return delimiter;
  }

  /**
   * Reads every time with {@code format} (e.g. {@code TimeFormat.ofPattern("dd.MM.yyyy")}) instead
   * of recognising the format from the first row; null recognises it again. A row that does not
   * parse fails naming the file, line, value and format.
   */
  public CsvSeriesReader timeFormat(TimeFormat format) {
    return new CsvSeriesReader(timeColumn, valueColumns, markers, delimiter, format);
  }

  /** The time format every row is read with; null when it is recognised from the first row. */
  public TimeFormat timeFormat() {
    return timeFormat;
  }

  /**
   * Reads a UTF-8 file: a regular file of at most {@link #MAX_FILE_BYTES} bytes (a directory,
   * device such as /dev/zero, FIFO, or a text in another encoding is refused, naming the file).
   */
  public TimeSeries read(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("read: expected a CSV file path, got null");
    }
    checkFile(file);
    try (Reader in =
        new TextOnly(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString())) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("series file not found: " + file, e);
    } catch (CharacterCodingException e) {
      throw notUtf8(file, e);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException c) {
        throw notUtf8(file, c);
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read series file " + file + ": " + e.getMessage(), e);
    }
  }

  static void checkFile(Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          "series file " + file + " is a directory; expected a CSV file");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("series file not found: " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "series file "
              + file
              + " is not a regular file (a device, FIFO or socket); "
              + "expected a CSV file");
    }
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "series file "
                + file
                + " has "
                + size
                + " bytes, more than the "
                + (MAX_FILE_BYTES >> 20)
                + " MiB a CSV series may have; pass a part of it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read series file " + file + ": " + e.getMessage(), e);
    }
  }

  static IllegalArgumentException notUtf8(Path file, CharacterCodingException e) {
    return new IllegalArgumentException(
        "series file "
            + file
            + " is not UTF-8 text (it has bytes that UTF-8 does "
            + "not allow; a Latin-1 or UTF-16 text, a model file or an image is not a CSV series): convert it to UTF-8, "
            + "e.g. iconv -f latin1 -t utf-8",
        e);
  }

  /** Reads a UTF-8 classpath resource, e.g. {@code "/dev/timestep/data/sunspots-yearly.csv"}. */
  public TimeSeries readResource(String resource) {
    if (resource == null || resource.isBlank()) {
      throw new IllegalArgumentException(
          "readResource: expected a resource path, got '" + resource + "'");
    }
    String absolute = resource.startsWith("/") ? resource : "/" + resource;
    InputStream stream = CsvSeriesReader.class.getResourceAsStream(absolute);
    if (stream == null) {
      throw new IllegalArgumentException("series resource not found on the classpath: " + absolute);
    }
    try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      return read(in, absolute.substring(absolute.lastIndexOf('/') + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read series resource " + absolute + ": " + e.getMessage(), e);
    }
  }

  /** Reads CSV text; {@code source} names it in messages and in the series. */
  public TimeSeries read(Reader in, String source) throws IOException {
    try (CSVParser parser =
        CSVParser.builder().setReader(withoutByteOrderMark(in)).setFormat(format()).get()) {
      Iterator<CSVRecord> records = parser.iterator();
      if (!records.hasNext()) {
        throw new IllegalArgumentException(
            source + " is empty: expected a header row (e.g. 'date,value') " + "and data rows");
      }
      List<String> header = header(records.next(), source, delimiter);
      int time = timeColumn == null ? 0 : find(header, timeColumn, source);
      int[] values = valueIndices(header, time, source);
      return readRows(parser, records, header, time, values, source);
    } catch (UncheckedIOException e) {
      // Commons CSV reports a broken quote as an unchecked CSVException; keep the file name in
      // front.
      if (e.getCause() instanceof CSVException) {
        throw new IllegalArgumentException(
            source + ": malformed CSV: " + e.getCause().getMessage(), e);
      }
      throw e;
    }
  }

  /** The CSV dialect read: this reader's delimiter, cells trimmed, empty lines ignored. */
  CSVFormat format() {
    return CSVFormat.DEFAULT
        .builder()
        .setDelimiter(delimiter)
        .setTrim(true)
        .setIgnoreEmptyLines(true)
        .get();
  }

  private TimeSeries readRows(
      CSVParser parser,
      Iterator<CSVRecord> records,
      List<String> header,
      int time,
      int[] values,
      String source) {
    List<LocalDateTime> times = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    TimeFormat format = this.timeFormat;
    while (records.hasNext()) {
      CSVRecord record = records.next();
      long line = parser.getCurrentLineNumber();
      requireFields(record, header, source, line);
      String timeText = record.get(time);
      String where = where(source, line, header.get(time));
      format = format(format, timeText, where);
      LocalDateTime t = readTime(format, timeText, where);
      if (!times.isEmpty() && !t.isAfter(times.get(times.size() - 1))) {
        throw new IllegalArgumentException(
            where
                + "time "
                + Quoted.of(timeText)
                + " does not come after the "
                + "previous row's "
                + format.format(times.get(times.size() - 1))
                + "; rows must be in increasing time order");
      }
      times.add(t);
      float[] row = readValues(record, values, header, source, line);
      rows.add(row);
    }
    if (times.isEmpty()) {
      throw new IllegalArgumentException(
          source + " has a header " + Quoted.list(header) + " but no data rows");
    }
    float[][] columns = new float[values.length][times.size()];
    for (int t = 0; t < rows.size(); t++) {
      for (int v = 0; v < values.length; v++) {
        columns[v][t] = rows.get(t)[v];
      }
    }
    List<String> names = new ArrayList<>();
    for (int v : values) {
      names.add(header.get(v));
    }
    return TimeSeries.of(source, format, times, names, columns);
  }

  /** Refuses a row whose field count differs from the header's. */
  static void requireFields(CSVRecord record, List<String> header, String source, long line) {
    if (record.size() != header.size()) {
      throw new IllegalArgumentException(
          source
              + " line "
              + line
              + ": "
              + record.size()
              + " fields but the header has "
              + header.size()
              + " "
              + Quoted.list(header));
    }
  }

  /** "FILE line N, column 'NAME': ", the start of every message about one cell. */
  static String where(String source, long line, String column) {
    return source + " line " + line + ", column '" + Quoted.of(column) + "': ";
  }

  /**
   * The time format of the file: the pattern given, else {@code found} (recognised on the first
   * row), else recognised from {@code timeText}.
   */
  TimeFormat format(TimeFormat found, String timeText, String where) {
    if (found != null) {
      return found;
    }
    if (timeFormat != null) {
      return timeFormat;
    }
    TimeFormat f = TimeFormat.recognise(timeText);
    if (f == null) {
      throw new IllegalArgumentException(
          where
              + "cannot read '"
              + Quoted.of(timeText)
              + "' as a time; expected "
              + "an ISO date (2001-12-29), date-time, year-month, basic date (20011229), year (1749) or decimal year "
              + "(1958.2027); for another format give its pattern (--time-format dd.MM.yyyy)");
    }
    return f;
  }

  /** One row's time, strictly by the given pattern when there is one. */
  LocalDateTime readTime(TimeFormat format, String timeText, String where) {
    return timeFormat == null
        ? parseTime(format, timeText, where)
        : parseWithGivenFormat(format, timeText, where);
  }

  /** One row's values of the {@code values} columns; NaN where missing. */
  float[] readValues(
      CSVRecord record, int[] values, List<String> header, String source, long line) {
    float[] row = new float[values.length];
    for (int v = 0; v < values.length; v++) {
      row[v] = parseValue(record.get(values[v]), where(source, line, header.get(values[v])));
    }
    return row;
  }

  static LocalDateTime parseTime(TimeFormat format, String text, String where) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException(where + "the time is empty; every row needs a time");
    }
    if (!format.matches(text)) {
      throw new IllegalArgumentException(
          where
              + "'"
              + Quoted.of(text)
              + "' is not a "
              + format.describe()
              + " like the first row's time");
    }
    try {
      return format.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static LocalDateTime parseWithGivenFormat(TimeFormat format, String text, String where) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException(where + "the time is empty; every row needs a time");
    }
    try {
      return format.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  float parseValue(String text, String where) {
    if (markers.isMissing(text)) {
      return Float.NaN;
    }
    if (DECIMAL_COMMA.matcher(text).matches()) {
      throw new IllegalArgumentException(
          where
              + "'"
              + Quoted.of(text)
              + "' has a decimal comma (or a thousands separator); values must use '.' as the "
              + "decimal point and no grouping (1.5, 1234.5): export the file with '.' decimals");
    }
    if (!MissingMarkers.NUMBER.matcher(text).matches()) {
      throw new IllegalArgumentException(
          where
              + "cannot read '"
              + Quoted.of(text)
              + "' as a number (missing values "
              + "may be written as "
              + markers
              + ")");
    }
    float value = Float.parseFloat(text);
    if (Float.isInfinite(value)) {
      throw new IllegalArgumentException(
          where + "'" + Quoted.of(text) + "' is too large for a float");
    }
    return value;
  }

  // A UTF-8 byte order mark survives decoding as U+FEFF; left in place it would hide a quoted first
  // name.
  static Reader withoutByteOrderMark(Reader in) throws IOException {
    if (in == null) {
      throw new IllegalArgumentException("read: expected a reader, got null");
    }
    PushbackReader pushback = new PushbackReader(in, 1);
    int first = pushback.read();
    if (first != -1 && first != '\uFEFF') {
      pushback.unread(first);
    }
    return pushback;
  }

  static List<String> header(CSVRecord first, String source, char delimiter) {
    List<String> names = new ArrayList<>(first.toList());
    boolean looksLikeData = true;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.isEmpty()) {
        throw new IllegalArgumentException(
            source
                + " line 1: column "
                + (i + 1)
                + " of the header "
                + Quoted.list(names)
                + " has no name");
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException(
            source + " line 1: column name '" + Quoted.of(n) + "' appears twice in the header");
      }
      looksLikeData &=
          MissingMarkers.NUMBER.matcher(n).matches() || TimeFormat.recognise(n) != null;
    }
    if (looksLikeData) {
      throw new IllegalArgumentException(
          source
              + " line 1: expected a header row of column names, found data "
              + Quoted.list(names)
              + "; add a header such as 'date,value'");
    }
    if (names.size() < 2) {
      throw new IllegalArgumentException(
          source
              + ": expected a time column and at least one value column, but "
              + "the header has only "
              + Quoted.list(names)
              + otherDelimiterHint(names.get(0), delimiter));
    }
    return names;
  }

  /** When a lone header name holds another common separator, a hint to give that delimiter. */
  private static String otherDelimiterHint(String name, char delimiter) {
    for (char c : new char[] {';', '\t', '|', ','}) {
      if (c != delimiter && name.indexOf(c) >= 0) {
        String shown = c == '\t' ? "tab" : "'" + c + "'";
        return "; the fields look separated by "
            + shown
            + ": give that delimiter (--delimiter "
            + shown
            + ")";
      }
    }
    return "";
  }

  private int[] valueIndices(List<String> header, int time, String source) {
    if (valueColumns.isEmpty()) {
      int[] all = new int[header.size() - 1];
      for (int i = 0, k = 0; i < header.size(); i++) {
        if (i != time) {
          all[k++] = i;
        }
      }
      return all;
    }
    int[] chosen = new int[valueColumns.size()];
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = find(header, valueColumns.get(i), source);
      if (chosen[i] == time) {
        throw new IllegalArgumentException(
            source
                + ": column '"
                + Quoted.of(valueColumns.get(i))
                + "' is the time column and cannot also be a value column");
      }
    }
    if (Arrays.stream(chosen).distinct().count() != chosen.length) {
      throw new IllegalArgumentException(
          source + ": value columns repeat a name: " + Quoted.list(valueColumns));
    }
    return chosen;
  }

  static int find(List<String> header, String name, String source) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          source + ": no column '" + Quoted.of(name) + "'; the header has " + Quoted.list(header));
    }
    return i;
  }

  private static void requireName(String option, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(option + ": expected a column name, got '" + name + "'");
    }
  }
}
