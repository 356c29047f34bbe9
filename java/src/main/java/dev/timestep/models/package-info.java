/**
 * The chapter's model zoo: every trainable architecture of the chapter's table by a short name
 * ({@link dev.timestep.models.ChapterModels}), buildable for any horizon, used by the forecasting
 * workflow, the {@code train} command and {@code reproduce} alike, and the chapter's
 * encoder-decoder as a functional model ({@link dev.timestep.models.EncoderDecoder}). May import
 * {@code nn}, {@code backend} (activations, padding) and {@code data.series} (window layouts) only.
 */
package dev.timestep.models;
