/**
 * Reproducing the chapter's results table: one {@link dev.timestep.reproduce.ChapterRow} per row
 * (naive, linear, the trained models, iterative forecasts), run on the chapter's synthetic series
 * and written as a table and a chart beside the book's numbers. May import {@code models}, {@code
 * nn}, {@code optim}, {@code forecast}, {@code data}, {@code io}, {@code plot}, {@code backend} and
 * Jackson; only the CLI imports it.
 */
package dev.timestep.reproduce;
