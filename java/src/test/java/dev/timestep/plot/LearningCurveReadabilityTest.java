package dev.timestep.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.AttributedCharacterIterator;
import java.text.CharacterIterator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

/**
 * What a reader of learning curves needs: training and validation in different colours, and a log
 * axis that says it is one and reads in powers of ten.
 */
class LearningCurveReadabilityTest {

  private static Map<String, double[]> fit() {
    Map<String, double[]> c = new LinkedHashMap<>();
    c.put("loss", new double[] {0.41, 0.05, 0.01, 0.0023});
    c.put("mse", new double[] {0.4, 0.06, 0.02, 0.004});
    c.put("val_loss", new double[] {0.5, 0.08, 0.02, 0.009});
    c.put("val_mse", new double[] {0.5, 0.07, 0.03, 0.01});
    return c;
  }

  /** The labels of the major ticks {@code axis} draws in {@code chart}'s first panel. */
  private static List<String> majorTickLabels(JFreeChart chart, XYPlot panel) {
    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage image = chart.createBufferedImage(1000, 600, info);
    Graphics2D g2 = image.createGraphics();
    Rectangle2D area = info.getPlotInfo().getSubplotInfo(0).getDataArea();
    List<String> labels = new ArrayList<>();
    for (Object o :
        panel.getRangeAxis().refreshTicks(g2, new AxisState(), area, RectangleEdge.LEFT)) {
      if (o instanceof LogTick t && t.getTickType() == TickType.MAJOR) {
        AttributedCharacterIterator text = t.getAttributedLabel().getIterator();
        StringBuilder sb = new StringBuilder();
        for (char c = text.first(); c != CharacterIterator.DONE; c = text.next()) {
          sb.append(c);
        }
        labels.add(sb.toString());
      }
    }
    g2.dispose();
    return labels;
  }

  @Test
  void trainingAndValidationCurvesHaveDifferentColoursInEveryPanel() {
    JFreeChart chart = LearningCurvePlot.of(fit()).chart();
    for (XYPlot panel : ((CombinedDomainXYPlot) chart.getPlot()).getSubplots()) {
      XYItemRenderer r = panel.getRenderer();
      String train = (String) panel.getDataset().getSeriesKey(0);
      String valid = (String) panel.getDataset().getSeriesKey(1);
      assertEquals("val_" + train, valid);
      assertEquals(Palette.TRAIN, r.getSeriesPaint(0), train);
      assertEquals(Palette.VALIDATION, r.getSeriesPaint(1), valid);
      assertNotEquals(r.getSeriesPaint(0), r.getSeriesPaint(1));
    }
  }

  @Test
  void aLogAxisIsTitledAndTickedInPowersOfTen() {
    JFreeChart chart = LearningCurvePlot.of(fit()).logScale(true).chart();
    List<XYPlot> panels = ((CombinedDomainXYPlot) chart.getPlot()).getSubplots();
    LogAxis losses = (LogAxis) panels.get(0).getRangeAxis();
    assertEquals("loss (log scale)", losses.getLabel());
    assertEquals("mse (log scale)", panels.get(1).getRangeAxis().getLabel());
    // 0.0023 .. 0.5 spans the decades from 1e-3 to 1
    assertEquals(1e-3, losses.getLowerBound(), 1e-12);
    assertEquals(1, losses.getUpperBound(), 1e-8);
    assertEquals(List.of("1e-3", "1e-2", "1e-1", "1"), majorTickLabels(chart, panels.get(0)));
  }

  @Test
  void curvesWithinHalfADecadeKeepTheirRangeWithFinerTicks() {
    LogAxis narrow = LogScale.fitted("loss", 0.0021, 0.0029);
    assertEquals("loss (log scale)", narrow.getLabel());
    assertEquals(true, narrow.isAutoRange());
    // finer than a decade per tick
    assertEquals(true, narrow.getStandardTickUnits().getCeilingTickUnit(0.01).getSize() < 1);
    LogAxis wide = LogScale.fitted("loss", 0.0021, 0.03);
    assertEquals(1e-3, wide.getLowerBound(), 1e-12);
    assertEquals(0.1, wide.getUpperBound(), 1e-9);
  }

  @Test
  void tickLabelsAreWrittenAsPowersOfTen() {
    assertEquals("1e-3", PowerOfTenFormat.text(1e-3));
    assertEquals("1e-2", PowerOfTenFormat.text(0.01));
    assertEquals("1", PowerOfTenFormat.text(1));
    assertEquals("1e1", PowerOfTenFormat.text(10));
    assertEquals("2.5e-3", PowerOfTenFormat.text(0.0025));
    assertEquals("1e-2", PowerOfTenFormat.text(0.00999), "rounds up into the next decade");
    assertEquals("5e-1", PowerOfTenFormat.text(0.5));
    assertEquals("1.2e2", PowerOfTenFormat.text(123));
    assertEquals("0", PowerOfTenFormat.text(0));
  }
}
