package dev.timestep.cli;

import dev.timestep.data.SeriesGenerator;
import dev.timestep.data.series.CsvSeriesReader;
import dev.timestep.data.series.Quoted;
import dev.timestep.data.series.RealSeries;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.io.ModelMetadata;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesModelInfo;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import picocli.CommandLine.Option;

/**
 * Where a command reads its series: {@code --csv FILE} (with its time column, missing markers,
 * delimiter and time format), {@code --builtin co2|sunspots}, or {@code --generator} (the chapter's
 * synthetic series). A picocli mixin shared by train, forecast, backtest and impute.
 */
final class SeriesSource {
  /** The names {@code --builtin} takes. */
  static final List<String> BUILTINS = List.of("co2", "sunspots");

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description = "A CSV file with a header, a time column and numeric value columns.")
  Path csv;

  @Option(
      names = "--time-column",
      paramLabel = "NAME",
      description = "The CSV's time column (default: the first column).")
  String timeColumn;

  @Option(
      names = "--missing-marker",
      paramLabel = "TEXT",
      split = ",",
      description =
          "Extra texts that mean 'missing' in the CSV, e.g. -99.99 (empty, NA, NaN always do).")
  List<String> missingMarkers = new ArrayList<>();

  @Option(
      names = "--delimiter",
      paramLabel = "CHAR",
      description =
          "The CSV's field separator: one character such as ';' or '|', or tab as 'tab' or '\\t' "
              + "(default: ','). Values always use '.' as the decimal point; a decimal comma "
              + "(1,5) is refused.")
  String delimiter;

  @Option(
      names = "--time-format",
      paramLabel = "PATTERN",
      description =
          "Read every time of the CSV with this java.time pattern, e.g. dd.MM.yyyy, yyyy-MM or "
              + "'yyyy/MM/dd HH:mm', and write forecast times with it (default: recognise ISO dates "
              + "and date-times, 20011229, 2001-12, 1985 Q2, 1985-Q2, 1985Q2, 1749, 1958.2027).")
  String timeFormat;

  @Option(
      names = "--builtin",
      paramLabel = "NAME",
      description =
          "A shipped series: co2 (Mauna Loa weekly CO2, 1958-2001, 59 missing weeks) or sunspots "
              + "(yearly, 1700-2008).")
  String builtin;

  @Option(
      names = "--generator",
      description = "The chapter's synthetic series (two sine waves plus noise).")
  boolean generator;

  /** The model file whose stored CSV path {@link #csv} came from; null when the user gave it. */
  private Path storedBy;

  /** The dialect a model file kept for its stored CSV, used when the options give none. */
  private CsvDialect storedDialect = CsvDialect.DEFAULT;

  /** A series as read, and how to name its input in a model file. */
  record Loaded(TimeSeries series, String input, String timeColumn) {}

  /** How many of the three inputs were given. */
  int given() {
    return (csv != null ? 1 : 0) + (builtin != null ? 1 : 0) + (generator ? 1 : 0);
  }

  /** Refuses anything but exactly one input, and CSV options that cannot be used with it. */
  void requireOne(String command) {
    if (given() != 1) {
      throw new IllegalArgumentException(
          command
              + " needs exactly one input: --csv FILE, --builtin "
              + String.join("|", BUILTINS)
              + " or --generator (got "
              + given()
              + ")");
    }
    if (builtin != null && !BUILTINS.contains(builtin.trim().toLowerCase(Locale.ROOT))) {
      builtin(builtin); // refuses the name now, before a backend is chosen
    }
    checkDialect();
  }

  /**
   * Reads the real series given (not the generator); only {@code columns} are read from a CSV when
   * given (so unrelated text columns do not matter), every column otherwise.
   */
  Loaded read(List<String> columns) {
    if (builtin != null) {
      String name = builtin.trim().toLowerCase(Locale.ROOT);
      TimeSeries series = builtin(name);
      return new Loaded(series, "builtin " + name, name.equals("co2") ? "date" : "YEAR");
    }
    if (csv == null) {
      throw new IllegalStateException("no real series was given");
    }
    CsvSeriesReader reader = dialect().applyTo(CsvSeriesReader.defaults());
    if (timeColumn != null) {
      reader = reader.timeColumn(timeColumn);
    }
    if (columns != null && !columns.isEmpty()) {
      reader = reader.valueColumns(columns.toArray(new String[0]));
    }
    if (!missingMarkers.isEmpty()) {
      reader = reader.missingMarkers(missingMarkers.toArray(new String[0]));
    }
    TimeSeries series = storedBy == null ? reader.read(csv) : readStored(reader);
    return new Loaded(
        series,
        "csv " + csv,
        timeColumn != null ? timeColumn : firstColumnName(csv, reader.delimiter()));
  }

  /**
   * How to read the CSV: the options' delimiter and time format where given, else those the model
   * file of a stored CSV kept.
   */
  CsvDialect dialect() {
    CsvDialect given = CsvDialect.of(delimiter, timeFormat);
    if (storedBy == null) {
      return given;
    }
    return new CsvDialect(
        delimiter != null ? given.delimiter() : storedDialect.delimiter(),
        timeFormat != null ? given.timeFormat() : storedDialect.timeFormat());
  }

  /**
   * Checks {@code --delimiter} and {@code --time-format} before anything is read or trained, and
   * refuses them beside an input that is not a CSV.
   */
  private void checkDialect() {
    dialect();
    if ((delimiter != null || timeFormat != null) && csv == null && given() > 0) {
      throw new IllegalArgumentException(
          (delimiter != null ? "--delimiter" : "--time-format")
              + " describes a CSV file, but the input is "
              + (builtin != null ? "--builtin " + builtin : "--generator")
              + "; give --csv FILE or drop the option");
    }
  }

  /**
   * The entries a model trained on the input keeps so that forecast and impute read its CSV as
   * train did: the delimiter and time format when not the defaults (none for other inputs).
   */
  ModelMetadata dialectMetadata() {
    return csv == null ? ModelMetadata.EMPTY : dialect().toMetadata();
  }

  /**
   * Reads the CSV a model file named. Its errors say what failed but quote nothing from the file:
   * the path came from a file, not from the user, so its content is not echoed.
   */
  private TimeSeries readStored(CsvSeriesReader reader) {
    String which = "the series model file " + storedBy + " was trained on, " + csv;
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException(
          which
              + ", is not there (a stored series is looked for relative to the "
              + "model's folder); give the series with --csv FILE");
    }
    try {
      return reader.read(csv);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new IllegalArgumentException(
          which
              + ", cannot be read as this model's series; give it with --csv "
              + "FILE to see why");
    }
  }

  /**
   * How a model saved as {@code modelFile} records the series {@code loaded} came from: a CSV path
   * relative to the model's folder (see {@link StoredSeries}).
   */
  String storedInput(Loaded loaded, Path modelFile) {
    return csv != null ? "csv " + StoredSeries.path(csv, modelFile) : loaded.input();
  }

  /**
   * The name of the first header column (the time column when none is named); the file was just
   * read.
   */
  private static String firstColumnName(Path file, char delimiter) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser =
            CSVParser.builder()
                .setReader(in)
                .setFormat(CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setTrim(true).get())
                .get()) {
      return parser.iterator().next().get(0).replace("\uFEFF", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * As {@link #defaultTo(SeriesModelInfo, Path)}, and a stored CSV is read with the delimiter and
   * time format the model file kept (options given on the command line win).
   */
  void defaultTo(SeriesModel model, Path modelFile) {
    if (given() > 0) {
      return;
    }
    defaultTo(model.info(), modelFile);
    if (storedBy != null) {
      storedDialect = CsvDialect.fromMetadata(model.metadata(), modelFile.toString());
    }
  }

  /**
   * Uses the input recorded in model file {@code modelFile} when none was given on the command line
   * (the same builtin series, generator, or CSV file: one inside the model's folder).
   */
  void defaultTo(SeriesModelInfo info, Path modelFile) {
    if (given() > 0) {
      return;
    }
    String input = info.input();
    if (input.startsWith("builtin ")) {
      builtin = input.substring("builtin ".length());
    } else if (input.startsWith("csv ")) {
      csv = StoredSeries.resolve(input.substring("csv ".length()), modelFile);
      storedBy = modelFile;
      if (timeColumn == null) {
        timeColumn = info.timeColumn();
      }
    } else if (input.equals("generator")) {
      generator = true;
    }
  }

  /**
   * Whether a model's recorded input is a CSV file that is still where {@link #defaultTo} would
   * read it (inside the model's folder).
   */
  static boolean storedCsvPresent(SeriesModelInfo info, Path modelFile) {
    if (!info.input().startsWith("csv ")) {
      return false;
    }
    try {
      return Files.isRegularFile(
          StoredSeries.resolve(info.input().substring("csv ".length()), modelFile));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The unit of a shipped series' values, for plots ("ppm" for co2); null when not known. */
  String units() {
    return builtin != null && builtin.trim().equalsIgnoreCase("co2") ? "ppm" : null;
  }

  static TimeSeries builtin(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "co2" -> RealSeries.maunaLoaCo2();
      case "sunspots" -> RealSeries.sunspots();
      default ->
          throw new IllegalArgumentException(
              "unknown --builtin '"
                  + Quoted.of(name)
                  + "'; choose "
                  + String.join(" or ", BUILTINS));
    };
  }

  /**
   * One generated series of {@code steps} values in a column "value", its steps numbered 1, 2, ...
   * (written as years, the simplest time the series type has).
   */
  static TimeSeries generated(int steps, long seed) {
    float[] values = SeriesGenerator.generate(1, steps, seed).data();
    List<LocalDateTime> times = new ArrayList<>();
    for (int i = 1; i <= steps; i++) {
      times.add(LocalDate.of(i, 1, 1).atStartOfDay());
    }
    return TimeSeries.of(
        "generator (seed " + seed + ")",
        TimeFormat.YEAR,
        times,
        List.of("value"),
        new float[][] {values});
  }
}
