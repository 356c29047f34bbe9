package dev.timestep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.data.ChapterData;
import dev.timestep.data.Dataset;
import dev.timestep.data.Forecasts;
import dev.timestep.data.Splits;
import dev.timestep.nn.FitOptions;
import dev.timestep.nn.History;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Metric;
import dev.timestep.nn.Model;
import dev.timestep.nn.callbacks.EarlyStopping;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chapter's encoder-decoder on the chapter's ten-step task: the encoder's final [h, c] start
 * the decoder, it trains (the loss falls) with early stopping on validation, and it forecasts the
 * next ten steps far better than repeating the last value (the book's naive baseline, val MSE about
 * 0.26).
 */
class EncoderDecoderTest {

  @Test
  void itTrainsAndBeatsTheNaiveForecastOnValidation() {
    Splits data = ChapterData.tenStepsVector(42);
    Dataset train = data.train();
    Dataset valid = data.valid();
    try (Model model = EncoderDecoder.build(50, 20, 10).backend(CpuBackend.get()).seed(0)) {
      assertEquals(List.of(Shape.of(10)), model.outputShapes());
      model.compile(Loss.mse(), new Adam(), Metric.mse());
      EarlyStopping stop = new EarlyStopping().patience(2).restoreBestWeights(true);
      History h =
          model.fit(
              train.x(),
              train.y(),
              FitOptions.defaults()
                  .epochs(8)
                  .batchSize(32)
                  .seed(0)
                  .validation(valid.x(), valid.y())
                  .callbacks(stop));
      List<Double> loss = h.series("loss");
      double mse = Forecasts.mse(model.predict(valid.x()), valid.y());
      double naive = Forecasts.mse(Forecasts.naive(valid.x(), 10), valid.y());
      System.out.printf(
          "encoder-decoder (LSTM 20 -> [h, c] -> LSTM 20), 10 steps ahead: %d epochs (best %d),"
              + " loss %s; validation MSE %.4f, naive %.4f%n",
          loss.size(), stop.bestEpoch() + 1, loss, mse, naive);
      assertEquals(h.get("val_mse")[stop.bestEpoch()], mse, 1e-5, "the best epoch's weights");
      assertTrue(loss.get(loss.size() - 1) < loss.get(0) * 0.5, "the loss should fall: " + loss);
      assertTrue(naive > 0.2, "the naive forecast's val MSE is the book's ~0.26, got " + naive);
      assertTrue(mse < naive / 5, "val MSE " + mse + " should beat the naive " + naive);
    }
  }

  @Test
  void badSizesAreRefused() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> EncoderDecoder.build(50, 0, 10))
            .getMessage()
            .contains("units 0"));
  }
}
