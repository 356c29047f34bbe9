package dev.timestep.cli;

import dev.timestep.data.series.CsvSeriesReader;
import dev.timestep.data.series.Quoted;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.io.ModelMetadata;
import java.util.Locale;

/**
 * How a CSV file is written besides its columns: the field delimiter and, when the user names one,
 * the time format (null: recognised from the first row). Given by {@code --delimiter} and {@code
 * --time-format}; a model file keeps a non-default dialect so that forecast and impute read its
 * stored CSV the way train did.
 *
 * @param delimiter the field separator
 * @param timeFormat every row's time format, or null to recognise it
 */
record CsvDialect(char delimiter, TimeFormat timeFormat) {
  /** Comma-separated, time format recognised. */
  static final CsvDialect DEFAULT = new CsvDialect(',', null);

  static final String DELIMITER_KEY = "series.csv.delimiter";
  static final String TIME_FORMAT_KEY = "series.csv.time_format";

  CsvDialect {
    // the reader refuses delimiters that are part of values and times; ask it once, here
    CsvSeriesReader.defaults().delimiter(delimiter);
  }

  /**
   * The dialect the options give (null: the default): {@code --delimiter} one character or {@code
   * tab} / {@code \t}; {@code --time-format} a java.time pattern.
   *
   * @throws IllegalArgumentException naming the option, for a delimiter of several characters or
   *     one that values use, or a pattern that cannot name a series' times
   */
  static CsvDialect of(String delimiterOption, String timeFormatOption) {
    char delimiter = delimiterOption == null ? ',' : parseDelimiter(delimiterOption);
    TimeFormat format = null;
    if (timeFormatOption != null) {
      try {
        format = TimeFormat.ofPattern(timeFormatOption);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--time-format: " + e.getMessage(), e);
      }
    }
    return new CsvDialect(delimiter, format);
  }

  private static char parseDelimiter(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.equals("tab") || t.equals("\\t")) {
      return '\t';
    }
    if (text.length() != 1) {
      throw new IllegalArgumentException(
          "--delimiter: expected one character such as ',', ';', '|' or tab (as 'tab' or '\\t'), "
              + "got '"
              + Quoted.of(text)
              + "'");
    }
    try {
      return new CsvDialect(text.charAt(0), null).delimiter();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--delimiter: " + e.getMessage(), e);
    }
  }

  /** {@code reader} reading this dialect. */
  CsvSeriesReader applyTo(CsvSeriesReader reader) {
    return reader.delimiter(delimiter).timeFormat(timeFormat);
  }

  /** The entries a model file keeps: none for the default dialect's parts. */
  ModelMetadata toMetadata() {
    ModelMetadata.Builder b = ModelMetadata.builder();
    if (delimiter != ',') {
      b.put(DELIMITER_KEY, String.valueOf(delimiter));
    }
    if (timeFormat != null) {
      b.put(TIME_FORMAT_KEY, timeFormat.pattern());
    }
    return b.build();
  }

  /**
   * The dialect a model file keeps ({@link #DEFAULT} for files without the entries, as train writes
   * for comma-separated CSVs with recognised times and wrote before dialects existed).
   *
   * @throws IllegalArgumentException naming the model file when an entry is not a usable dialect
   */
  static CsvDialect fromMetadata(ModelMetadata m, String modelFile) {
    try {
      String d = m.text(DELIMITER_KEY).orElse(",");
      if (d.length() != 1) {
        throw new IllegalArgumentException("the delimiter must be one character");
      }
      String pattern = m.text(TIME_FORMAT_KEY).orElse(null);
      return new CsvDialect(d.charAt(0), pattern == null ? null : TimeFormat.ofPattern(pattern));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "model file "
              + modelFile
              + " has an invalid CSV dialect ("
              + DELIMITER_KEY
              + ", "
              + TIME_FORMAT_KEY
              + "): "
              + e.getMessage(),
          e);
    }
  }
}
