/**
 * PNG plots rendered off-screen with JFreeChart: learning curves ({@link
 * dev.timestep.plot.LearningCurvePlot}), a series with its forecast and MC-dropout uncertainty
 * ({@link dev.timestep.plot.ForecastPlot}), and the chapter's results beside the book's ({@link
 * dev.timestep.plot.BookComparisonPlot}). Plots take plain arrays and records, so they do not
 * depend on how the numbers were computed; every write is atomic and needs no display. May import
 * {@code io} (atomic writes), {@code nn} (a fit's history), JFreeChart and {@code java.awt}.
 */
package dev.timestep.plot;
