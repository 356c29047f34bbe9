package dev.timestep.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.timestep.autodiff.Parameter;
import dev.timestep.autodiff.Tape;
import dev.timestep.autodiff.Variable;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.util.function.Function;

/**
 * Gradient checks by central finite differences, in float64 on the reference backend: one backward
 * pass, then every element of every input is nudged by ±{@link #EPS} and the loss re-run. Passes
 * when |analytic - numeric| <= {@link #RTOL}·max(|a|, |n|) + {@link #ATOL}.
 */
public final class FiniteDifferences {
  public static final double EPS = 1e-6;
  public static final double RTOL = 1e-6;
  public static final double ATOL = 1e-9;
  private static final ReferenceBackend F64 = ReferenceBackend.float64();

  private FiniteDifferences() {}

  /** The scalar loss, read in double (readScalar would round to float32). */
  public static double lossValue(Function<Tape, Variable> loss) {
    try (Tape tape = new Tape(F64)) {
      Variable l = loss.apply(tape);
      assertEquals(Shape.of(1), l.shape(), "the loss must be a scalar");
      return F64.get(l.value(), 0);
    }
  }

  /** Fails naming the input and element where backward and finite differences disagree. */
  public static void check(String what, Function<Tape, Variable> loss, Parameter... inputs) {
    for (Parameter p : inputs) {
      F64.fill(p.grad(), 0f);
    }
    try (Tape tape = new Tape(F64)) {
      tape.backward(loss.apply(tape));
    }
    for (Parameter p : inputs) {
      Tensor x = p.value();
      for (long i = 0; i < x.size(); i++) {
        double saved = F64.get(x, i);
        F64.set(x, i, saved + EPS);
        double up = lossValue(loss);
        F64.set(x, i, saved - EPS);
        double down = lossValue(loss);
        F64.set(x, i, saved);
        double numeric = (up - down) / (2 * EPS);
        double analytic = F64.get(p.grad(), i);
        if (!(Math.abs(analytic - numeric)
            <= RTOL * Math.max(Math.abs(analytic), Math.abs(numeric)) + ATOL)) {
          fail(
              what
                  + ": d loss / d "
                  + p.name()
                  + p.shape()
                  + " at flat index "
                  + i
                  + " is "
                  + analytic
                  + " by backward but "
                  + numeric
                  + " by finite differences");
        }
      }
    }
  }
}
