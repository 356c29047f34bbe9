package dev.timestep.pipeline;

import dev.timestep.data.series.Windows;
import dev.timestep.nn.History;

/**
 * What {@link SeriesTrainer} produced: the trained model (the caller closes it), its per-epoch
 * history, the windows it was trained and validated on, and its validation error in the series' own
 * units beside the naive forecast's.
 *
 * @param model the trained model with its info
 * @param history loss and validation loss per epoch (scaled units)
 * @param trainRows rows (or, for the generator, series) in the training part
 * @param validRows rows (or series) in the validation part
 * @param train the training windows, with how many were skipped for missing values
 * @param valid the validation windows, likewise
 * @param validMse MSE of the model's forecasts on the validation windows, original units
 * @param naiveValidMse MSE of repeating the window's last value, original units
 */
public record TrainingResult(
    SeriesModel model,
    History history,
    int trainRows,
    int validRows,
    Windows train,
    Windows valid,
    double validMse,
    double naiveValidMse) {}
