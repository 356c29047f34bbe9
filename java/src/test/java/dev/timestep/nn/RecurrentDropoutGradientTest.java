package dev.timestep.nn;

import dev.timestep.autodiff.Ops;
import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.FiniteDifferences;
import dev.timestep.testing.Float64Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of the recurrent layers with input and recurrent dropout active (so through the input
 * mask and the step-by-step path), against central finite differences in float64 on the reference
 * backend. The pass is fixed, so every evaluation uses the same masks.
 */
class RecurrentDropoutGradientTest {
  private static final ReferenceBackend F64 = ReferenceBackend.float64();

  static Stream<Arguments> layers() {
    List<Arguments> out = new ArrayList<>();
    for (boolean rs : new boolean[] {true, false}) {
      for (Arguments a : RecurrentDropoutTest.kinds().toList()) {
        out.add(Arguments.of(a.get()[0], rs, a.get()[1]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} returnSequences={1}")
  @MethodSource("layers")
  void gradientsThroughBothMasksMatchFiniteDifferences(
      String kind, boolean returnSequences, RecurrentDropoutTest.Make make) {
    RecurrentLayer layer = make.make(0.3, 0.4).returnSequences(returnSequences);
    try (Scope scope = new Scope();
        Sequential m = new Sequential(layer).backend(F64).seed(3)) {
      m.build(Shape.of(4, 3));
      Tensor values = m.parameters().values();
      // Move γ away from 1 and the biases away from 0 so every term of the backward matters.
      for (int i = 0; i < values.size(); i++) {
        F64.set(values, i, F64.get(values, i) + 0.1 * Math.sin(i));
      }
      Float64Tensors t = new Float64Tensors(scope, new SplittableRandom(8));
      Parameter x = t.param("x", -1, 1, 3, 4, 3);
      Tensor target = t.random(-1, 1, returnSequences ? new int[] {3, 4, 5} : new int[] {3, 5});
      ForwardPass pass = ForwardPass.training(12);
      List<Parameter> inputs = new ArrayList<>(m.parameters().parameters());
      inputs.add(x);
      FiniteDifferences.check(
          kind + " with dropout",
          tape -> {
            Variable y = m.forward(tape, x, pass);
            return Ops.mse(tape, y, tape.constant(target));
          },
          inputs.toArray(new Parameter[0]));
    }
  }
}
