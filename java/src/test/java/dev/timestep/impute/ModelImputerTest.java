package dev.timestep.impute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.TimeSeries;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.SeriesModel;
import dev.timestep.pipeline.SeriesTrainer;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.testing.TestSeries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Filling gaps with a trained model, and scoring it against linear interpolation. */
class ModelImputerTest {
  private static final int WINDOW = 13;
  private static SeriesModel model;

  @BeforeAll
  static void train() {
    TimeSeries clean = TestSeries.weekly(TestSeries.values(600, 26, 0.1, 7));
    TrainingSettings s =
        new TrainingSettings(
            ChapterModels.named("linear"),
            WINDOW,
            1,
            40,
            32,
            0.01,
            "standard",
            true,
            0.0,
            0,
            Backends.named("cpu"),
            null);
    model = SeriesTrainer.train(clean, "value", List.of(), "test", null, s).model();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void fillsEveryGapAndKeepsEveryObservedValue() {
    float[] values = TestSeries.values(600, 26, 0.1, 8, 3, 4, 200, 250, 251, 252, 253, 254, 599);
    TimeSeries holed = TestSeries.weekly(values);
    for (ImputationMethod method : ImputationMethod.values()) {
      ImputedSeries filled = ModelImputer.fill(model, holed, method);
      float[] out = filled.series().column(0);
      boolean[] imputed = filled.imputed();
      for (int r = 0; r < out.length; r++) {
        assertFalse(Float.isNaN(out[r]), method + " row " + r);
        assertEquals(Float.isNaN(values[r]), imputed[r], method + " row " + r);
        if (!imputed[r]) {
          assertEquals(values[r], out[r], 0, "observed row " + r + " is kept exactly");
        }
      }
      assertEquals(4, filled.gaps());
      assertEquals(2, filled.byInterpolation(), "rows 3-4 have no full window before them");
      assertEquals(7, filled.byModel());
      // Rows 3 and 4 lie on the straight line between rows 2 and 5.
      assertEquals(values[2] + (values[5] - values[2]) / 3, out[3], 1e-4);
    }
  }

  @Test
  void bridgingMeetsTheValueAfterTheGapWhereTheForecastAloneDoesNot() {
    float[] truth = TestSeries.values(600, 26, 0.1, 9);
    float[] values = truth.clone();
    for (int r = 300; r < 310; r++) {
      values[r] = Float.NaN;
    }
    values[310] = truth[310] + 2; // an observation the forecast cannot know about
    TimeSeries holed = TestSeries.weekly(values);
    float[] forward = ModelImputer.fill(model, holed, ImputationMethod.FORWARD).series().column(0);
    float[] bridged = ModelImputer.fill(model, holed, ImputationMethod.BRIDGED).series().column(0);
    assertEquals(forward[300], bridged[300], 0.25, "the start of the gap follows the forecast");
    assertTrue(
        bridged[309] - forward[309] > 1.5,
        "the end is pulled towards the jump: " + forward[309] + " -> " + bridged[309]);
  }

  @Test
  void theModelBeatsInterpolationOnRunsOfACycle() {
    TimeSeries series = TestSeries.weekly(TestSeries.values(600, 26, 0.1, 10, 500));
    ImputationReport r =
        ImputationEvaluation.run(model, series, new ImputationEvaluation.Plan(30, 4, 8, 1, 420));
    assertEquals(30, r.singles());
    assertEquals(4, r.runs());
    assertEquals(30, r.interpolation().singles().count());
    assertEquals(32, r.interpolation().runs().count());
    assertEquals(62, r.interpolation().all().count());
    assertEquals(1, r.ownGaps());
    ImputationReport.Errors model8 = r.method(ImputationMethod.BRIDGED.description()).runs();
    assertTrue(
        model8.rmse() < 0.5 * r.interpolation().runs().rmse(),
        "runs of 8 across a 26-step cycle: model "
            + model8.rmse()
            + " vs interpolation "
            + r.interpolation().runs().rmse());
    StringWriter text = new StringWriter();
    r.print(new PrintWriter(text), "units");
    assertTrue(
        text.toString().contains("linear interpolation") && text.toString().contains("lower RMSE"),
        text.toString());
    // The same seed removes the same values.
    ImputationReport again =
        ImputationEvaluation.run(model, series, new ImputationEvaluation.Plan(30, 4, 8, 1, 420));
    assertArrayEquals(
        new double[] {r.interpolation().all().rmse()},
        new double[] {again.interpolation().all().rmse()});
  }

  @Test
  void impossibleRequestsAreRefusedClearly() {
    TimeSeries series = TestSeries.weekly(TestSeries.values(100, 26, 0.1, 11));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImputationEvaluation.run(
                    model, series, new ImputationEvaluation.Plan(200, 0, 8, 0, 0)));
    assertTrue(e.getMessage().contains("could place only"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new ImputationEvaluation.Plan(0, 0, 8, 0, 0));
    TimeSeries empty = TestSeries.weekly(new float[] {Float.NaN, Float.NaN, Float.NaN});
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelImputer.fill(model, empty, ImputationMethod.BRIDGED));
    assertTrue(e.getMessage().contains("no value"), e.getMessage());
  }
}
