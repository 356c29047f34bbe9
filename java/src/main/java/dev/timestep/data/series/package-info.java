/**
 * Real time series: reading CSV files with their timestamps and missing values ({@link
 * dev.timestep.data.series.CsvSeriesReader}), the bundled example series, scalers fitted on
 * training data only, chronological splits and gap-aware windows described by a {@link
 * dev.timestep.data.series.WindowSpec}; many series from one long-format table (id, time, values)
 * as a {@link dev.timestep.data.series.ManySeries} ({@link dev.timestep.data.series.LongCsvReader},
 * {@link dev.timestep.data.series.LongFormat}). May import {@code data}, {@code tensor} and Apache
 * Commons CSV.
 */
package dev.timestep.data.series;
