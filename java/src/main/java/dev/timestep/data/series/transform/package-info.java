/**
 * Transforms of a real series that a model is trained on and that forecasts are taken back from:
 * log, Box-Cox with its lambda chosen on the training rows, differencing and seasonal differencing,
 * and chains of them. Each {@link dev.timestep.data.series.transform.SeriesTransform} is fitted on
 * training rows only and gives a {@link dev.timestep.data.series.transform.FittedTransform} that
 * applies to any rows and inverts forecasts and interval bounds; inverting a differenced forecast
 * takes the observed values before the forecast origin as an explicit argument. Works on {@code
 * double[]} values, NaN marking a missing one. Imports nothing from the library.
 */
package dev.timestep.data.series.transform;
