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
 * @param fill how gaps in the windows' inputs were treated
 * @param trainGaps what filling did to the training part (null for generated series)
 * @param validGaps what it did to the validation part's inputs (its targets are never filled)
 * @param tail the series' last rows, kept in the model file to forecast from its end (null for
 *     generated series)
 */
public record TrainingData(
    SeriesModelInfo info,
    Windows train,
    Windows valid,
    int trainRows,
    int validRows,
    GapFill fill,
    GapFill.Result trainGaps,
    GapFill.Result validGaps,
    SeriesTail tail) {}
