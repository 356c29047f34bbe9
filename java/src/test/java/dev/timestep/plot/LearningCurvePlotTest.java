package dev.timestep.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Splits;
import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Sequential;
import dev.timestep.optim.Adam;
import dev.timestep.testing.PngImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning curves from a real fit and from plain arrays; panels, scales and bad input. */
class LearningCurvePlotTest {

  /** A few epochs of a linear model on the chapter's series, with validation and a metric. */
  private static History smallFit() {
    Splits data = ChapterData.oneStep(3);
    try (Sequential model =
        new Sequential(new Flatten(), new Dense(1)).seed(7).backend(ReferenceBackend.float32())) {
      model.compile(Loss.mse(), new Adam(1e-2), Metric.mse());
      return model.fit(
          data.train().x().rows(0, 256),
          data.train().y().rows(0, 256),
          FitOptions.defaults()
              .epochs(4)
              .batchSize(32)
              .validation(data.valid().x().rows(0, 128), data.valid().y().rows(0, 128)));
    }
  }

  private static Map<String, double[]> curves(double... loss) {
    Map<String, double[]> c = new LinkedHashMap<>();
    c.put("loss", loss);
    return c;
  }

  @Test
  void plotsEveryCurveOfAFitLossesAboveMetrics(@TempDir Path dir) throws Exception {
    History history = smallFit();
    Path png = dir.resolve("curves.png");
    LearningCurvePlot.write(history, "linear model", png);
    BufferedImage image = PngImages.read(png, 1000, 600);
    assertTrue(PngImages.distinctColours(image) > 20, "a blank or near-blank image");
    assertTrue(PngImages.count(image, Palette.TRAIN) > 300, "training curves in blue");
    assertTrue(PngImages.count(image, Palette.VALIDATION) > 300, "validation curves in orange");

    JFreeChart chart = LearningCurvePlot.of(history).chart();
    CombinedDomainXYPlot panels = assertInstanceOf(CombinedDomainXYPlot.class, chart.getPlot());
    List<XYPlot> plots = panels.getSubplots();
    assertEquals(2, plots.size());
    assertEquals(
        List.of("loss", "val_loss"),
        List.of(
            plots.get(0).getDataset().getSeriesKey(0), plots.get(0).getDataset().getSeriesKey(1)));
    assertEquals(
        List.of("mse", "val_mse"),
        List.of(
            plots.get(1).getDataset().getSeriesKey(0), plots.get(1).getDataset().getSeriesKey(1)));
    // Epochs are numbered from 1, with the recorded values.
    assertEquals(1, plots.get(0).getDataset().getXValue(0, 0));
    assertEquals(history.last("val_loss"), plots.get(0).getDataset().getYValue(1, 3), 0);
  }

  @Test
  void aLogScaleUsesALogAxisAndChangesThePicture(@TempDir Path dir) throws Exception {
    double[] loss = {1, 0.1, 0.01, 0.001};
    LearningCurvePlot.of(curves(loss)).write(dir.resolve("linear.png"));
    LearningCurvePlot.of(curves(loss)).logScale(true).write(dir.resolve("log.png"));
    BufferedImage linear = PngImages.read(dir.resolve("linear.png"), 1000, 600);
    BufferedImage log = PngImages.read(dir.resolve("log.png"), 1000, 600);
    assertTrue(PngImages.differ(linear, log));
    XYPlot logPlot = (XYPlot) LearningCurvePlot.of(curves(loss)).logScale(true).chart().getPlot();
    assertInstanceOf(LogAxis.class, logPlot.getRangeAxis());
    XYPlot linearPlot = (XYPlot) LearningCurvePlot.of(curves(loss)).chart().getPlot();
    assertInstanceOf(NumberAxis.class, linearPlot.getRangeAxis());
  }

  @Test
  void onlyMetricsMakeOnePanelAndSizeIsHonoured(@TempDir Path dir) throws Exception {
    Map<String, double[]> c = new LinkedHashMap<>();
    c.put("last_time_step_mse", new double[] {0.3, 0.2, 0.1});
    c.put("val_last_time_step_mse", new double[] {0.35, 0.25, Double.NaN});
    LearningCurvePlot plot = LearningCurvePlot.of(c).size(640, 400).title("metric only");
    assertInstanceOf(XYPlot.class, plot.chart().getPlot());
    plot.write(dir.resolve("metric.png"));
    BufferedImage image = PngImages.read(dir.resolve("metric.png"), 640, 400);
    assertTrue(PngImages.count(image, Palette.TRAIN) > 100);
    assertTrue(PngImages.count(image, Palette.VALIDATION) > 100);
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badCurvesAreRefusedWithAMessageThatNamesThem() {
    assertTrue(
        message(() -> LearningCurvePlot.of(new LinkedHashMap<>()))
            .contains("at least one named curve"));
    assertTrue(
        message(() -> LearningCurvePlot.of(new History())).contains("history has no epochs"));
    assertTrue(message(() -> LearningCurvePlot.of(curves())).contains("curve 'loss' is empty"));
    Map<String, double[]> uneven = curves(1, 2, 3);
    uneven.put("val_loss", new double[] {1, 2});
    String lengths = message(() -> LearningCurvePlot.of(uneven));
    assertTrue(lengths.contains("curve 'val_loss' has 2 values but curve 'loss' has 3"), lengths);
    String nan = message(() -> LearningCurvePlot.of(curves(Double.NaN, Double.NaN)));
    assertTrue(nan.contains("curve 'loss' has no value to plot: all 2 are NaN"), nan);
    String log = message(() -> LearningCurvePlot.of(curves(0.5, 0.0)).logScale(true).chart());
    assertTrue(
        log.contains("log-scale axis needs positive values")
            && log.contains("curve 'loss'[1] is 0.0"),
        log);
    String size = message(() -> LearningCurvePlot.of(curves(1)).size(0, 600));
    assertTrue(size.contains("got 0x600"), size);
  }
}
