package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input to fit/predict fails before any native call, with a message naming the problem. */
class ModelInputValidationTest {
  private Sequential model;

  @BeforeEach
  void setUp() {
    model = new Sequential(new Flatten(), new Dense(1)).backend(CpuBackend.get());
    model.compile(Loss.mse(), new Adam());
  }

  @AfterEach
  void tearDown() {
    model.close();
  }

  private static void assertMessage(Throwable t, String... parts) {
    for (String p : parts) {
      assertTrue(
          t.getMessage().contains(p), "message should mention '" + p + "': " + t.getMessage());
    }
  }

  @Test
  void xAndYOfDifferentLengths() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.fit(NDArray.zeros(10, 5, 1), NDArray.zeros(9, 1), FitOptions.defaults()));
    assertMessage(e, "10 samples", "9");
  }

  @Test
  void wrongRank() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.fit(NDArray.zeros(10), NDArray.zeros(10, 1), FitOptions.defaults()));
    assertMessage(e, "rank", "[10]");
    var p = assertThrows(IllegalArgumentException.class, () -> model.predict(NDArray.zeros(4)));
    assertMessage(p, "rank");
  }

  @Test
  void nanOrInfinityInTheData() {
    NDArray x = NDArray.zeros(4, 5, 1);
    x.data()[7] = Float.NaN;
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.fit(x, NDArray.zeros(4, 1), FitOptions.defaults()));
    assertMessage(e, "NaN", "index 7");
    NDArray y = NDArray.zeros(4, 1);
    y.data()[2] = Float.POSITIVE_INFINITY;
    var f =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.fit(NDArray.zeros(4, 5, 1), y, FitOptions.defaults()));
    assertMessage(f, "Infinity", "Y");
    NDArray xp = NDArray.zeros(2, 5, 1);
    xp.data()[0] = Float.NEGATIVE_INFINITY;
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> model.predict(xp)), "Infinity");
  }

  @Test
  void zeroSamples() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.fit(NDArray.zeros(0, 5, 1), NDArray.zeros(0, 1), FitOptions.defaults()));
    assertMessage(e, "zero samples");
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> model.predict(NDArray.zeros(0, 5, 1))),
        "zero samples");
  }

  @Test
  void batchSizeZero() {
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().batchSize(0)),
        "batch size",
        "0");
    assertMessage(
        assertThrows(
            IllegalArgumentException.class, () -> model.predict(NDArray.zeros(2, 5, 1), 0)),
        "batch size");
  }

  @Test
  void targetsThatDoNotMatchTheModelOutput() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.fit(NDArray.zeros(4, 5, 1), NDArray.zeros(4, 3), FitOptions.defaults()));
    assertMessage(e, "[1]", "[3]");
  }

  @Test
  void predictOnAnotherLengthThanAFlatteningModelWasBuiltFor() {
    model.predict(NDArray.zeros(2, 5, 1));
    var e =
        assertThrows(IllegalArgumentException.class, () -> model.predict(NDArray.zeros(2, 6, 1)));
    assertMessage(e, "flatten", "[5, 1]");
  }

  @Test
  void badHyperParameters() {
    assertMessage(assertThrows(IllegalArgumentException.class, () -> new Adam(0)), "learning rate");
    assertMessage(
        assertThrows(IllegalArgumentException.class, () -> new Adam(Double.NaN)), "learning rate");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> new Dense(0)), "units");
  }

  @Test
  void fitBeforeCompileAndUseAfterClose() {
    try (Sequential m = new Sequential(new Dense(1)).backend(CpuBackend.get())) {
      assertMessage(
          assertThrows(
              IllegalStateException.class,
              () -> m.fit(NDArray.zeros(2, 3), NDArray.zeros(2, 1), FitOptions.defaults())),
          "compile");
    }
    model.predict(NDArray.zeros(1, 5, 1));
    model.close();
    assertMessage(
        assertThrows(IllegalStateException.class, () -> model.predict(NDArray.zeros(1, 5, 1))),
        "closed");
  }
}
