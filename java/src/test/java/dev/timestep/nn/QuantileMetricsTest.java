package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quantile loss gives k outputs per target value while a metric compares one output with one
 * target value, so the two cannot be compiled together: refused at compile, naming the loss, before
 * a fit would fail at its first step with a bare shape mismatch.
 */
class QuantileMetricsTest {
  @Test
  void aSequentialRefusesMetricsBesideTheQuantileLoss() {
    try (Sequential m = new Sequential(new Dense(3)).backend(ReferenceBackend.float32())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(), Metric.mse()));
      assertTrue(e.getMessage().contains("quantile"), e::getMessage);
      assertTrue(e.getMessage().contains("without metrics"), e::getMessage);
      assertNull(m.loss(), "nothing was compiled");
      m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam()); // without metrics it compiles
    }
  }

  @Test
  void aFunctionalModelRefusesThemToo() {
    Symbolic in = Input.of(4);
    try (Model m =
        new Model(List.of(in), List.of(new Dense(3).apply(in)))
            .backend(ReferenceBackend.float32())) {
      assertThrows(
          IllegalArgumentException.class,
          () -> m.compile(Loss.quantile(0.1, 0.5, 0.9), new Adam(), Metric.mae()));
    }
  }
}
