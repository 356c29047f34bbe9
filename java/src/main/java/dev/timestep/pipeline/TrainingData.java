package dev.timestep.pipeline;

import dev.timestep.data.series.Windows;

/**
 * Training pairs ready for {@link SeriesTrainer#fit}: the model's info (columns, scaling fitted on
 * the training rows, window, horizon) and the scaled windows of the training and validation parts,
 * with how many were skipped for missing values.
 *
 * @param info what the trained model will carry
 * @param train windows of the training part
 * @param valid windows of the validation part
 * @param trainRows rows (or generated series) in the training part
 * @param validRows rows (or generated series) in the validation part
 */
public record TrainingData(
    SeriesModelInfo info, Windows train, Windows valid, int trainRows, int validRows) {}
