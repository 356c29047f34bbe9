package dev.timestep.testing;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.Scope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the float64 op tests (gradient checks, hand-computed cases): the float64 reference
 * backend, a seeded random source, and a scope per test that owns every tensor {@link #t64} makes,
 * closed after the test.
 */
public abstract class Float64OpTest {
  protected final ReferenceBackend f64 = ReferenceBackend.float64();
  protected final SplittableRandom random;
  protected Scope scope;
  protected Float64Tensors t64;

  protected Float64OpTest(long seed) {
    random = new SplittableRandom(seed);
  }

  @BeforeEach
  void openScope() {
    scope = new Scope();
    t64 = new Float64Tensors(scope, random);
  }

  @AfterEach
  void closeScope() {
    scope.close();
  }
}
