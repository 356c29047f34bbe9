package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.autodiff.Parameter;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.nn.Dense;
import dev.timestep.nn.Flatten;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A series forecast past the horizon feeds the model's forecasts back; when they grow past float
 * range the error names the forecast step and the model, not "predict X contains Infinity" about
 * the user's data.
 */
class ForecastOverflowTest {

  /** window 2, horizon 1, one column; the next value is kernel · window. */
  private static SeriesModel linear(float[] kernelValues, boolean relative) {
    Sequential m = new Sequential(new Flatten(), new Dense(1)).backend(ReferenceBackend.float32());
    m.build(Shape.of(2, 1));
    Parameter kernel = m.parameters().get(0);
    m.backend().upload(NDArray.of(kernelValues, 2, 1), kernel.value());
    List<String> columns = List.of("value");
    SeriesModelInfo info =
        new SeriesModelInfo(
            "linear",
            WindowSpec.Layout.VECTOR,
            0,
            1,
            2,
            1,
            columns,
            "value",
            "none",
            SeriesModelInfo.identityScaler(columns),
            relative,
            0,
            "test",
            null,
            null);
    return new SeriesModel(m, info);
  }

  @Test
  void aForecastThatOverflowsNamesTheStep() {
    NDArray ones = NDArray.of(new float[] {1, 1}, 1, 2, 1);
    try (SeriesModel model = linear(new float[] {0, 10}, false)) { // 10 × the last value
      assertEquals(1e38f, model.forecastWindows(ones, 38, 0).mean().get(0, 37), 1e32f);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> model.forecastWindows(ones, 1_000_000, 0));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the model's output overflowed to Infinity at step 39 of the forecast"
                      + " (series 0)"),
          e.getMessage());
    }
  }

  @Test
  void aLevelAddedBackThatOverflowsIsCaughtToo() {
    // relative windows: the model forecasts a move from the last value, -2 × (2e38 - 3e38) = 2e38,
    // finite; the level 3e38 added back is not
    NDArray x = NDArray.of(new float[] {2e38f, 3e38f}, 1, 2, 1);
    try (SeriesModel model = linear(new float[] {-2, 0}, true)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> model.forecastWindows(x, 5, 0));
      assertTrue(
          e.getMessage()
              .startsWith("the model's output overflowed to Infinity at step 1 of the forecast"),
          e.getMessage());
    }
  }
}
