package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.backend.Backends;
import dev.timestep.models.ChapterModels;
import dev.timestep.nn.Sequential;
import dev.timestep.tensor.Shape;
import org.junit.jupiter.api.Test;

class ModelFlopsTest {

  @Test
  void linearModelOfRowTwoMatchesHandCount() {
    ModelFlops m = ChapterWorkload.row(2).chapterFlops();
    assertEquals(2 * 50 + 1, m.forwardFlops()); // 50 multiply-adds + bias
    assertEquals(51, m.parameters());
    // 3 x (32 x (101 forward + 3 loss)) + 10 x 51 Adam
    assertEquals(3 * 32 * 104 + 510, m.trainStepFlops(32));
    assertEquals(101, m.inferenceFlops());
  }

  @Test
  void lstmOfRowTwelveMatchesHandCount() {
    ModelFlops m = ChapterWorkload.row(12).chapterFlops();
    double layer1 =
        50 * (2.0 * 21 * 80 + 13 * 20); // 4 gates x 20 units over 1 input + 20 recurrent
    double layer2 = 50 * (2.0 * 40 * 80 + 13 * 20);
    double head = 50 * (2.0 * 20 * 10 + 10);
    assertEquals(534_500, layer1 + layer2 + head);
    assertEquals(layer1 + layer2 + head, m.forwardFlops());
    assertEquals(1760 + 3280 + 210, m.parameters());
    assertEquals(
        3 * 32 * (534_500 + 3 * 500) + 10 * 5250, ChapterWorkload.row(12).trainStepFlops());
    assertEquals(
        219 * ChapterWorkload.row(12).trainStepFlops(), ChapterWorkload.row(12).epochFlops());
  }

  @Test
  void waveNetOfRowFifteenMatchesHandCount() {
    ModelFlops m = ChapterWorkload.row(15).chapterFlops();
    double first = 2 * 2 * 1 * 20 + 20 + 20; // K=2, 1 channel in, 20 out, bias, ReLU
    double dilated = 2 * 2 * 20 * 20 + 20 + 20;
    double head = 2 * 20 * 10 + 10;
    assertEquals(50 * (first + 7 * dilated + head), m.forwardFlops());
    assertEquals(60 + 7 * 820 + 210, m.parameters());
    assertEquals(500, m.outputsPerSample()); // causal padding keeps 50 steps
  }

  @Test
  void stridedConvolutionShortensTheSequence() {
    ModelFlops m = ModelFlops.input(50, 1).conv(20, 4, 2, 1, false, false);
    assertEquals(24 * 20, m.outputsPerSample()); // (50 - 4) / 2 + 1 = 24 steps
    assertEquals(24 * (2.0 * 4 * 20 + 20), m.forwardFlops());
  }

  @Test
  void gruCountsThreeGatesAndTwoBiases() {
    ModelFlops m = ModelFlops.input(10, 1).gru(20, false);
    assertEquals(3 * (21 * 20 + 2 * 20), m.parameters());
    assertEquals(10 * (2.0 * 21 * 60 + 14 * 20), m.forwardFlops());
    assertEquals(20, m.outputsPerSample()); // only the last step is handed on
  }

  @Test
  void parameterCountsMatchTheLibrarysChapterModels() {
    for (ChapterWorkload w : ChapterWorkload.all()) {
      try (Sequential net =
          ChapterModels.named(w.model()).build(w.horizon()).backend(Backends.named("reference"))) {
        net.build(Shape.of(ChapterWorkload.STEPS, 1));
        assertEquals(net.parameters().count(), w.chapterFlops().parameters(), w.label());
      }
    }
  }

  @Test
  void rejectsUnknownRowsAndImpossibleShapes() {
    assertThrows(IllegalArgumentException.class, () -> ChapterWorkload.row(7));
    assertThrows(IllegalArgumentException.class, () -> ModelFlops.input(0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelFlops.input(3, 1).conv(20, 4, 1, 1, false, false));
    assertThrows(
        IllegalArgumentException.class, () -> ModelFlops.input(50, 1).dense(1).trainStepFlops(0));
  }

  @Test
  void epochHas219Steps() {
    assertEquals(219, ChapterWorkload.STEPS_PER_EPOCH);
  }
}
