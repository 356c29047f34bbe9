/**
 * Forecasting with a trained model: multi-step forecasts, iterative forecasts that feed predictions
 * back as inputs, and MC-dropout predictions with their spread. Works on any {@link
 * dev.timestep.nn.Sequential}, so it may import {@code nn}, {@code autodiff}, {@code backend} and
 * {@code tensor}, but no workflow above it.
 */
package dev.timestep.forecast;
