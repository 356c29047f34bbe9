package dev.timestep.data.series;

/**
 * The two public-domain series shipped inside the library (provenance in {@code
 * dev/timestep/data/SOURCES.md} next to the files).
 */
public final class RealSeries {
  /** Classpath folder of the shipped files. */
  public static final String FOLDER = "/dev/timestep/data/";

  private RealSeries() {}

  /**
   * Mauna Loa weekly CO2 in ppm, 1958-03-29 to 2001-12-29: 2,284 weeks in one column {@code co2},
   * 59 of them missing (NaN). Times are written as basic ISO dates (19580329).
   */
  public static TimeSeries maunaLoaCo2() {
    return CsvSeriesReader.defaults()
        .timeColumn("date")
        .valueColumns("co2")
        .readResource(FOLDER + "mauna-loa-co2-weekly.csv");
  }

  /**
   * Yearly mean sunspot number, 1700 to 2008: 309 years in one column {@code SUNACTIVITY}, none
   * missing.
   */
  public static TimeSeries sunspots() {
    return CsvSeriesReader.defaults()
        .timeColumn("YEAR")
        .valueColumns("SUNACTIVITY")
        .readResource(FOLDER + "sunspots-yearly.csv");
  }
}
