/**
 * Real time series: reading CSV files with their timestamps and missing values ({@link
 * dev.timestep.data.series.CsvSeriesReader}), the bundled example series, scalers fitted on
 * training data only, chronological splits and gap-aware windows described by a {@link
 * dev.timestep.data.series.WindowSpec}. May import {@code data}, {@code tensor} and Apache Commons
 * CSV.
 */
package dev.timestep.data.series;
