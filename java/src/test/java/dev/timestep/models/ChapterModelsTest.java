package dev.timestep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.data.series.WindowSpec;
import dev.timestep.nn.Dropout;
import dev.timestep.nn.Layer;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.NDArray;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chapter's architectures by name: unique names, each forecasts any horizon. */
class ChapterModelsTest {

  @Test
  void namesAreUnique() {
    assertEquals(
        ChapterModels.all().size(), Set.copyOf(ChapterModels.names()).size(), "names are unique");
  }

  @Test
  void eachModelOutputsItsHorizonInItsLayout() {
    NDArray x = NDArray.zeros(2, 12, 1);
    for (ChapterModel m : ChapterModels.all()) {
      try (Sequential model = m.build(3).backend(ReferenceBackend.float32())) {
        NDArray y = model.predict(x);
        if (m.layout() == WindowSpec.Layout.VECTOR) {
          assertEquals(2, y.rank(), m.name());
        } else {
          assertEquals(3, y.rank(), m.name());
          // A strided model's output step j stands for input step outputStart + j * outputEvery.
          assertEquals(
              12 - 1,
              m.outputStart() + (y.dim(1) - 1) * m.outputEvery(),
              m.name() + " ends on the last step");
        }
        assertEquals(3, y.dim(y.rank() - 1), m.name() + " forecasts 3 steps");
      }
    }
  }

  @Test
  void dropoutGoesJustBeforeTheOutputLayerOfEveryModel() {
    NDArray x = NDArray.zeros(2, 12, 1);
    for (ChapterModel m : ChapterModels.all()) {
      try (Sequential plain = m.build(3);
          Sequential model = m.build(3, 0.2).backend(ReferenceBackend.float32())) {
        List<Layer> layers = model.layers();
        int n = plain.layers().size();
        assertEquals(n + 1, layers.size(), m.name());
        Layer dropout = layers.get(n - 1);
        assertTrue(
            dropout instanceof Dropout && ((Dropout) dropout).rate() == 0.2,
            m.name() + ": " + dropout.name());
        assertEquals(
            plain.layers().get(n - 1).name(),
            layers.get(n).name(),
            m.name() + " ends with its output layer");
        assertTrue(model.hasDropout(), m.name());
        NDArray y = model.predict(x);
        assertEquals(3, y.dim(y.rank() - 1), m.name() + " still forecasts 3 steps");
      }
    }
    try (Sequential none = ChapterModels.named("gru").build(3, 0)) {
      assertFalse(none.hasDropout(), "rate 0 adds no layer");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ChapterModels.named("lstm").build(3, 1.0));
    assertTrue(e.getMessage().contains("dropout must be in [0, 1), got 1.0"), e.getMessage());
  }

  @Test
  void learningRatesAreTheBooks() {
    assertEquals(0.005, ChapterModels.named("simple-rnn").learningRate());
    assertEquals(0.01, ChapterModels.named("seq-rnn").learningRate());
    assertEquals(1e-3, ChapterModels.named("LSTM").learningRate(), "names are case-insensitive");
  }

  @Test
  void unknownNamesAndUnsuitableWindowsAreRefusedClearly() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ChapterModels.named("transformer"));
    assertTrue(
        e.getMessage().contains("unknown model 'transformer'")
            && e.getMessage().contains("wavenet"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ChapterModels.named("conv-gru").checkWindow(51));
    assertTrue(
        e.getMessage().contains("conv-gru") && e.getMessage().contains("51"), e.getMessage());
    ChapterModels.named("conv-gru").checkWindow(52);
    assertThrows(IllegalArgumentException.class, () -> ChapterModels.named("lstm").build(0));
  }
}
