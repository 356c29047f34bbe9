package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Round2MarkdownTest {
  @Test
  void writesProvenanceTargetsSweepAndChapterSections() {
    String md = Round2Markdown.render(Round2Fixture.data(false), "2026-12-05-cpu-round2-sweep.png");
    assertTrue(md.startsWith("# 2026-12-05 — CPU speed, round 2 (box)\n"), md);
    assertFalse(md.contains("NOT a measurement"), md);
    assertTrue(md.contains("- Java: JVM 17; commit abc123 (dirty)\n"), md);
    assertTrue(
        md.contains("- Load average (1, 5, 15 min): before 0.10 0.20 0.30, after 1.00 0.90 0.50\n"),
        md);
    assertTrue(md.contains("100.0 GFLOP/s"), md);
    assertTrue(
        md.contains(
            "| Chapter LSTM seq-to-seq epoch with validation, 1 thread | ≤ 0.15 s | 0.12 s | met |"),
        md);
    assertTrue(
        md.contains(
            "| Whole chapter peak RSS | ≤ 300 MB | 250 MB | met | decided by the run with"
                + " `-Xmx96m` (2 x the live set of 48 MB); with JVM defaults 420 MB,"),
        md);
    assertTrue(
        md.contains(
            "| Sweep: every point, PyTorch / Timestep, 1 thread | ≥ 1.5 x | 1.2 x | **not met** | "
                + "lowest: GRU u256 t50 b32 |"),
        md);
    // the centre LSTM: 2*(4+64)*256 + ... as in ShapeSweepTest; 1.4x its floor (1.26x in its
    // fastest round, 0.9 of the median), 2x PyTorch
    ShapePoint p = Round2Fixture.BOUND;
    double floorUs = p.floorUs(100);
    assertTrue(
        md.contains(
            String.format(
                java.util.Locale.ROOT,
                "| LSTM | centre | 64 | 50 | 32 | %.2f | %s | %s - %s | %s | 2.00x | %s | 1.40x | 1.26x"
                    + " | yes |",
                p.trainStepFlops() / 1e6,
                ReportFormat.micros(floorUs * 1.4),
                ReportFormat.micros(floorUs * 1.4 * 0.9),
                ReportFormat.micros(floorUs * 1.4 * 1.1),
                ReportFormat.micros(floorUs * 1.4 * 2),
                ReportFormat.micros(floorUs))),
        md);
    assertTrue(md.contains("fastest and slowest round are beside it"), md);
    assertTrue(md.contains("| LSTM | batch | 64 | 50 | 1 |"), md);
    assertTrue(md.contains("| 40.0x | 36.0x | no |"), md);
    assertTrue(md.contains("](2026-12-05-cpu-round2-sweep.png)"), md);
    assertTrue(md.contains("| 120 ms | 2.60 s | 21.7x |"), md);
    // the CPU report's chapter tables, rendered from the same results
    assertTrue(md.contains("## Chapter models"), md);
    assertTrue(md.contains("## Large LSTM"), md);
    assertTrue(
        md.contains(
            "`java -jar timestep.jar reproduce` in a child JVM (its defaults: every core): "
                + "total line 12 s, process wall 13.5 s"),
        md);
    assertTrue(md.contains("- The whole command took 12.0 minutes."), md);
  }

  @Test
  void theWholeChapterShowsBothRunsAndWhatTheirMemoryWasMadeOf() {
    String md = Round2Markdown.render(Round2Fixture.data(false), null);
    assertTrue(
        md.contains(
            "Again with the heap bounded to 2 x the live set the first run measured (`java -Xmx96m"
                + " -jar timestep.jar reproduce`): total line 12.4 s, peak RSS 250 MB."),
        md);
    // the default run: JVM overhead not tracked, so neither is the rest
    assertTrue(md.contains("| JVM defaults | 12 s | 420 MB | 48 MB | 388 MB | — | — |\n"), md);
    // the bounded run: 250 - 100.7 - 86 = 63.3 MB of native tensors, malloc and libraries
    assertTrue(
        md.contains("| -Xmx96m | 12.4 s | 250 MB | 55 MB | 101 MB | 86 MB | 63.3 MB |\n"), md);
  }

  @Test
  void aQuickRunSaysItIsNoMeasurementAndWritesOutsideTheResults() {
    String md = Round2Markdown.render(Round2Fixture.data(true), null);
    assertTrue(md.contains("NOT a measurement"), md);
    assertFalse(md.contains("![sweep"), md);
    Round2Options o = Round2Options.parse("--quick");
    assertTrue(o.quick());
    assertFalse(o.out().startsWith(Path.of("benchmarks")), o.out().toString());
    assertTrue(Round2Options.parse().out().endsWith(Path.of("benchmarks", "results")));
  }

  @Test
  void theChartHasOneCategoryPerPoint() {
    var chart = Round2Chart.sweep(Round2Fixture.data(false).sweep(), "t");
    var data = chart.getCategoryPlot().getDataset();
    assertTrue(data.getColumnCount() == 3, "columns " + data.getColumnCount());
    assertTrue(data.getRowCount() == 2, "rows " + data.getRowCount());
  }
}
