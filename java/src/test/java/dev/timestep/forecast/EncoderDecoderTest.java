package dev.timestep.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Forecasts;
import dev.timestep.data.Splits;
import dev.timestep.nn.Dense;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.GRU;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Sequential;
import dev.timestep.nn.TimeDistributed;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Shape;
import dev.timestep.testing.TestArrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chapter's encoder-decoder shape on its 10-step task: a recurrent encoder reads 50 steps into
 * a vector, RepeatVector(10) hands it to a recurrent decoder at each of 10 steps, and
 * TimeDistributed(Dense(1)) reads one value per step. It learns, and beats the naive forecast.
 */
class EncoderDecoderTest {

  @Test
  void anEncoderDecoderLearnsTheTenStepTaskAndBeatsTheNaiveForecast() {
    Splits data = ChapterData.tenStepsVector(42);
    int train = 2000;
    int valid = 500;
    NDArray x = data.train().x().rows(0, train);
    NDArray y = data.train().y().rows(0, train).reshape(train, 10, 1);
    NDArray xv = data.valid().x().rows(0, valid);
    NDArray yv = data.valid().y().rows(0, valid);
    try (Sequential m =
        new Sequential(
                new GRU(20),
                new RepeatVector(10),
                new GRU(20).returnSequences(true),
                new TimeDistributed(new Dense(1)))
            .seed(42)
            .backend(CpuBackend.get())) {
      m.compile(Loss.mse(), new Adam(0.005));
      History h =
          m.fit(
              x,
              y,
              FitOptions.defaults()
                  .epochs(8)
                  .batchSize(32)
                  .validation(xv, yv.reshape(valid, 10, 1)));
      List<Double> loss = h.series("loss");
      NDArray forecast =
          MultiStepForecast.forecast(m, xv, 10, ForecastOutput.SEQUENCE, InputWindow.GROW);
      double validMse = Forecasts.mse(forecast, yv);
      double naive = Forecasts.mse(Forecasts.naive(xv, 10), yv);
      System.out.printf(
          "encoder-decoder on the 10-step task: loss by epoch %s; validation MSE %.4f, naive %.4f%n",
          loss, validMse, naive);
      assertEquals(Shape.of(valid, 10), forecast.shape());
      // Equal up to rounding: predict and the forecast batch differently, and a row's float sums
      // may take another order in another batch (GEMM tile vs remainder rows, thread slices).
      TestArrays.assertAllClose(
          "ten steps are one prediction of the decoder",
          m.predict(xv).data(),
          forecast.data(),
          1e-6,
          1e-5);
      assertEquals(h.last("val_loss"), validMse, 1e-4, "the forecast is what validation measured");
      assertTrue(
          loss.get(loss.size() - 1) < loss.get(0) * 0.5, "the loss should fall by half: " + loss);
      assertTrue(
          validMse < naive,
          "validation MSE " + validMse + " should beat the naive forecast's " + naive);
    }
  }
}
