/**
 * The chapter's model zoo: every trainable architecture of the chapter's table by a short name
 * ({@link dev.timestep.models.ChapterModels}), buildable for any horizon, used by the forecasting
 * workflow, the {@code train} command and {@code reproduce} alike. May import {@code nn}, {@code
 * backend} (activations, padding) and {@code data.series} (window layouts) only.
 */
package dev.timestep.models;
