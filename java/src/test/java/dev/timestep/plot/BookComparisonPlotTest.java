package dev.timestep.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.testing.PngImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.statistics.StatisticalCategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results table as bars beside the book: bars, error bars, log axis and bad input. */
class BookComparisonPlotTest {
  private static final double[] BOOK = {
    0.0202, 0.0042, 0.0109, 0.0029, 0.0026, 0.0275, 0.257, 0.0187, 0.0085, 0.0096, 0.0121, 0.0086,
    0.0103, 0.0080, 0.0066
  };

  private static List<BookComparisonPlot.Bar> rows(boolean seeds) {
    List<BookComparisonPlot.Bar> bars = new ArrayList<>();
    for (int i = 0; i < BOOK.length; i++) {
      double ours = BOOK[i] * (0.9 + 0.015 * i);
      bars.add(
          new BookComparisonPlot.Bar(String.valueOf(i + 1), ours, seeds ? 0.1 * ours : 0, BOOK[i]));
    }
    return bars;
  }

  @Test
  void drawsOursBesideTheBookWithErrorBarsOnlyForSeveralSeeds(@TempDir Path dir) throws Exception {
    BookComparisonPlot.write(rows(true), "3 seeds", dir.resolve("seeds.png"));
    BookComparisonPlot.write(rows(false), "1 seed", dir.resolve("one.png"));
    BufferedImage seeds = PngImages.read(dir.resolve("seeds.png"), 1000, 600);
    BufferedImage one = PngImages.read(dir.resolve("one.png"), 1000, 600);
    assertTrue(PngImages.distinctColours(seeds) > 20, "a blank or near-blank image");
    assertTrue(PngImages.count(seeds, Palette.OURS) > 5000, "our bars");
    assertTrue(PngImages.count(seeds, Palette.BOOK) > 5000, "the book's bars");
    assertTrue(PngImages.count(seeds, Palette.ERROR_BAR) > 15 * 10, "an error bar per row");
    assertEquals(0, PngImages.count(one, Palette.ERROR_BAR), "one seed has no spread to show");
  }

  @Test
  void theLogAxisSpansEveryBarAndErrorBar() {
    List<BookComparisonPlot.Bar> bars = rows(true);
    // A spread larger than the mean reaches below zero: the axis must still start above zero.
    bars.set(3, new BookComparisonPlot.Bar("4", 0.003, 0.004, 0.0029));
    CategoryPlot plot = (CategoryPlot) BookComparisonPlot.of(bars).chart().getPlot();
    double low = plot.getRangeAxis().getLowerBound();
    double high = plot.getRangeAxis().getUpperBound();
    // Smallest: row 5's mean minus its std; largest: row 7's mean plus its std.
    assertTrue(low > 0 && low < 0.0026 * 0.96 * 0.9, "lower end " + low);
    assertTrue(high > 0.257 * 0.99 * 1.1, "upper end " + high);
    StatisticalCategoryDataset data = (StatisticalCategoryDataset) plot.getDataset();
    assertEquals(0.004, data.getStdDevValue(0, 3).doubleValue(), 0);
    assertNull(data.getStdDevValue(1, 3), "the book's number has no error bar");
  }

  @Test
  void parallelArraysGiveTheSameBars() {
    String[] labels = {"a", "b"};
    CategoryPlot plot =
        (CategoryPlot)
            BookComparisonPlot.of(labels, new double[] {1, 2}, null, new double[] {3, 4})
                .logScale(false)
                .chart()
                .getPlot();
    StatisticalCategoryDataset data = (StatisticalCategoryDataset) plot.getDataset();
    assertEquals(List.of("ours", "book"), data.getRowKeys());
    assertEquals(List.of("a", "b"), data.getColumnKeys());
    assertEquals(2.0, data.getMeanValue("ours", "b").doubleValue());
    assertEquals(3.0, data.getMeanValue("book", "a").doubleValue());
    assertEquals(0.0, plot.getRangeAxis().getLowerBound(), "a linear axis starts bars at zero");
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badRowsAreRefusedWithAMessageThatNamesThem() {
    assertTrue(message(() -> BookComparisonPlot.of(List.of())).contains("at least one row"));
    String twice =
        message(
            () ->
                BookComparisonPlot.of(
                    List.of(
                        new BookComparisonPlot.Bar("1", 1, 0, 1),
                        new BookComparisonPlot.Bar("1", 2, 0, 2))));
    assertTrue(twice.contains("'1' appears twice"), twice);
    String nan = message(() -> new BookComparisonPlot.Bar("7", Double.NaN, 0, 0.25));
    assertTrue(nan.contains("bar '7'") && nan.contains("ours = NaN"), nan);
    String std = message(() -> new BookComparisonPlot.Bar("7", 0.2, -0.1, 0.25));
    assertTrue(std.contains("std must be finite and >= 0, got -0.1"), std);
    String lengths =
        message(
            () ->
                BookComparisonPlot.of(
                    new String[] {"a", "b"},
                    new double[] {1, 2},
                    new double[] {0.1},
                    new double[] {1, 2}));
    assertTrue(lengths.contains("ours std has 1 values but ours has 2"), lengths);
    String labels =
        message(
            () ->
                BookComparisonPlot.of(
                    new String[] {"a"}, new double[] {1, 2}, null, new double[] {1, 2}));
    assertTrue(labels.contains("labels has 1 entries but ours has 2"), labels);
    String allNaN =
        message(
            () ->
                BookComparisonPlot.of(
                    new String[] {"a"},
                    new double[] {Double.NaN},
                    null,
                    new double[] {Double.NaN}));
    assertTrue(allNaN.contains("must be finite"), allNaN);
    String log =
        message(
            () ->
                BookComparisonPlot.of(List.of(new BookComparisonPlot.Bar("2", 0, 0, 0.1))).chart());
    assertTrue(
        log.contains("log-scale axis needs positive values") && log.contains("bar '2'"), log);
  }
}
