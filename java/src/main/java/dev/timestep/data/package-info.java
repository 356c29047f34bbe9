/**
 * The chapter's synthetic data: the series generator, the 7,000 / 2,000 / 1,000 split into {@link
 * dev.timestep.data.Dataset}s of windows and targets as the book builds them, and the baseline
 * forecasts with their error measures. May import {@code tensor} only (and its own subpackage
 * {@code series}).
 */
package dev.timestep.data;
