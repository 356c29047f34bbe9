package dev.timestep.backend.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one tolerance table: which family an op falls in, and how a family judges elements. */
class ToleranceTest {

  @Test
  void opsFallInTheirFamilies() {
    for (String op :
        new String[] {
          "upload",
          "upload (new tensor)",
          "download",
          "fill",
          "copy",
          "gatherRows",
          "lastStep",
          "readScalar",
          "allocate"
        }) {
      assertEquals(Tolerance.EXACT, Tolerance.forOp(op), op);
    }
    for (String op : new String[] {"recurrentForward(lstm)", "recurrentBackward(gru)"}) {
      assertEquals(Tolerance.RECURRENT, Tolerance.forOp(op), op);
    }
    for (String op :
        new String[] {
          "matmul",
          "accumulate",
          "lastStepGrad",
          "activation(tanh)",
          "adam",
          "conv1dGrad",
          "batchNormInference"
        }) {
      assertEquals(Tolerance.FLOAT32, Tolerance.forOp(op), op);
    }
  }

  @Test
  void exactDemandsTheSameBits() {
    assertEquals(
        0, Tolerance.EXACT.worstRatio(new float[] {1, Float.NaN}, new float[] {1, Float.NaN}));
    assertEquals(
        Double.POSITIVE_INFINITY, Tolerance.EXACT.worstRatio(new float[] {-0f}, new float[] {0f}));
    assertEquals(
        Double.POSITIVE_INFINITY,
        Tolerance.EXACT.worstRatio(new float[] {Math.nextUp(1f)}, new float[] {1}));
  }

  @Test
  void inexactFamiliesBoundEachElementAndNeverPassNaN() {
    Tolerance t = Tolerance.FLOAT32;
    assertEquals(0, t.worstRatio(new float[] {0, 2}, new float[] {0, 2}));
    assertTrue(
        t.worstRatio(new float[] {(float) (100 + 0.9 * t.allowed(100))}, new float[] {100}) <= 1);
    assertTrue(
        t.worstRatio(new float[] {1e-6f, 1.02e-5f}, new float[] {0, 0}) > 1,
        "atol bounds values near zero");
    assertTrue(Double.isNaN(t.worstRatio(new float[] {Float.NaN}, new float[] {Float.NaN})));
    assertTrue(Double.isNaN(t.worstRatio(new float[] {1}, new float[] {1, 2})));
    assertTrue(Tolerance.RECURRENT.allowed(1) > Tolerance.FLOAT32.allowed(1));
  }
}
