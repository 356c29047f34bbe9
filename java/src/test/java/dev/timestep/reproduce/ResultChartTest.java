package dev.timestep.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.plot.BookComparisonPlot;
import dev.timestep.testing.PngImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row results become one bar pair per row: our mean and std over seeds, and the book's value. */
class ResultChartTest {

  @Test
  void barsCarryTheRowNumberOurMeanAndStdAndTheBook(@TempDir Path dir) throws Exception {
    List<ChapterRow> rows = ChapterRows.select(List.of(1, 8));
    List<RowResult> results =
        List.of(
            new RowResult(rows.get(0), List.of(0.02, 0.022, 0.024), 1),
            new RowResult(rows.get(1), 0.019, 1));
    List<BookComparisonPlot.Bar> bars = ResultChart.bars(results);
    assertEquals("1", bars.get(0).label());
    assertEquals(0.022, bars.get(0).ours(), 1e-12);
    assertEquals(0.002, bars.get(0).oursStd(), 1e-12);
    assertEquals(rows.get(0).bookValue(), bars.get(0).book());
    assertEquals("8", bars.get(1).label());
    assertEquals(0, bars.get(1).oursStd());
    Path png = dir.resolve("table.png");
    ResultChart.write(results, png);
    assertTrue(PngImages.distinctColours(PngImages.read(png, 1000, 600)) > 20);
  }

  @Test
  void noResultsIsAClearError() {
    String m =
        assertThrows(IllegalArgumentException.class, () -> ResultChart.bars(List.of()))
            .getMessage();
    assertTrue(m.contains("no row results"), m);
  }
}
