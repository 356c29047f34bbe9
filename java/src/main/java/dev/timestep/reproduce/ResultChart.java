package dev.timestep.reproduce;

import dev.timestep.plot.BookComparisonPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The results table as a bar chart beside the book's numbers (log scale), written as a PNG. */
public final class ResultChart {
  private ResultChart() {}

  /** One bar pair per row, labelled by row number; the std is over seeds (0 for one seed). */
  public static List<BookComparisonPlot.Bar> bars(List<RowResult> results) {
    if (results == null || results.isEmpty()) {
      throw new IllegalArgumentException("result chart: no row results to plot");
    }
    List<BookComparisonPlot.Bar> bars = new ArrayList<>();
    for (RowResult r : results) {
      bars.add(
          new BookComparisonPlot.Bar(
              String.valueOf(r.row().number()), r.value(), r.std(), r.row().bookValue()));
    }
    return bars;
  }

  /** Writes the chart of {@code results} to {@code png} (atomically; folders are created). */
  public static void write(List<RowResult> results, Path png) throws IOException {
    int seeds = results == null || results.isEmpty() ? 0 : results.get(0).values().size();
    BookComparisonPlot.of(bars(results))
        .title(
            "Chapter 15: our validation error beside the book's"
                + (seeds > 1 ? " (" + seeds + " seeds)" : ""))
        .xLabel("row of the chapter's table")
        .yLabel("validation MSE (log scale)")
        .write(png);
  }
}
