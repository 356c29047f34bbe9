package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code selfcheck} is what the GPU check runs on CUDA; here it must pass on the CPU backend. */
class SelfCheckCommandTest {

  @Test
  void everyCpuOpAgreesWithTheReference() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run("selfcheck", "--backend", "cpu");
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    for (String op :
        new String[] {
          "matmul",
          "addBias",
          "biasGrad",
          "activationGrad",
          "lastStepGrad",
          "mseGrad",
          "adam",
          "gatherRows",
          "recurrentForward(lstm)",
          "recurrentBackward(gru)",
          "recurrentBackward(layer_norm_simple)",
          "conv1dGrad",
          "layerNormGrad",
          "batchNormGrad",
          "batchNormInference"
        }) {
      assertTrue(out.contains(op), "the table should have a row for " + op + ":\n" + out);
    }
    assertTrue(out.contains(", 0 failing"), out);
  }
}
