/**
 * Imputation, the chapter's second use of forecasting: fill a series' missing values with a trained
 * model ({@link dev.timestep.impute.ModelImputer}), and measure it against linear interpolation on
 * values removed on purpose ({@link dev.timestep.impute.ImputationEvaluation}). May import {@code
 * pipeline}, {@code nn}, {@code data.series} and {@code tensor}.
 */
package dev.timestep.impute;
