package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import dev.timestep.testing.TestArrays;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An op's output that shares memory with another of its tensors (a view of the same storage whose
 * range meets it) is refused before any kernel runs, unless the op is elementwise and the output is
 * exactly one of its inputs: those kernels read element i before writing it, so in place gives the
 * same numbers as a separate output (checked here). Copy handles any overlap (memmove semantics on
 * every backend).
 */
class OutputAliasingTest {
  private final SplittableRandom random = new SplittableRandom(3);
  private Scope scope;

  @BeforeEach
  void open() {
    scope = new Scope();
  }

  @AfterEach
  void close() {
    scope.close();
  }

  static Stream<String> backends() {
    return Stream.of("reference", "cpu");
  }

  private static Backend backend(String name) {
    return name.equals("cpu") ? CpuBackend.get() : ReferenceBackend.float32();
  }

  /** A tensor of random values in [-1, 1]. */
  private Tensor random(Backend b, int... dims) {
    return b.upload(TestArrays.uniform(random, -1, 1, dims), scope);
  }

  /** A storage of {@code floats} random values to carve views from. */
  private Tensor arena(Backend b, int floats) {
    return random(b, floats);
  }

  private static void assertOverlapRefused(
      Executable call, String op, String output, String other) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    String m = e.getMessage();
    assertTrue(
        m.startsWith(op + ":") && m.contains(output) && m.contains(other) && m.contains("memory"),
        m);
    assertFalse(m.contains("\n"), m);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void matmulIntoOneOfItsOperandsIsRefused(String name) {
    Backend b = backend(name);
    Tensor x = random(b, 3, 3);
    Tensor w = random(b, 3, 3);
    assertOverlapRefused(() -> b.matmul(x, false, w, false, x, false), "matmul", "output c", "a");
    assertOverlapRefused(() -> b.matmul(x, false, w, true, w, true), "matmul", "output c", "b");
    Tensor all = arena(b, 12);
    Tensor a = all.view(0, Shape.of(2, 3));
    Tensor c = all.view(3, Shape.of(2, 3)); // a's second row is c's first
    assertOverlapRefused(() -> b.matmul(a, false, w, false, c, false), "matmul", "output c", "a");
    // Disjoint views of one storage are fine.
    Tensor d = all.view(6, Shape.of(2, 3));
    b.matmul(a, false, w, false, d, false);
  }

  /** Runs {@code op(input, out)} into a separate output and in place; both must agree. */
  private void assertInPlaceMatches(Backend b, Tensor input, BiConsumer<Tensor, Tensor> op) {
    Tensor out = b.allocate(input.shape(), scope);
    Tensor copy = b.allocate(input.shape(), scope);
    b.copy(input, copy);
    b.copy(input, out); // the in-place ops that add to their output start from the same values
    op.accept(input, out);
    op.accept(copy, copy);
    assertArrayEquals(b.download(out).data(), b.download(copy).data());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void elementwiseOpsRunInPlace(String name) {
    Backend b = backend(name);
    Tensor x = random(b, 5, 7);
    Tensor other = random(b, 5, 7);
    Tensor bias = random(b, 7);
    assertInPlaceMatches(b, x, (in, out) -> b.add(in, other, out));
    assertInPlaceMatches(b, x, (in, out) -> b.add(other, in, out));
    assertInPlaceMatches(b, x, (in, out) -> b.mul(in, other, out));
    assertInPlaceMatches(b, x, (in, out) -> b.mul(in, in, out));
    assertInPlaceMatches(b, x, (in, out) -> b.accumulate(in, out));
    assertInPlaceMatches(b, x, (in, out) -> b.mulGrad(in, other, out));
    assertInPlaceMatches(b, x, (in, out) -> b.addBias(in, bias, out));
    for (Activation kind : Activation.values()) {
      assertInPlaceMatches(b, x, (in, out) -> b.activation(kind, in, out));
      assertInPlaceMatches(b, x, (in, out) -> b.activationGrad(kind, in, other, out));
      assertInPlaceMatches(b, x, (in, out) -> b.activationGrad(kind, other, in, out));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void elementwiseOpsRefuseAPartlyOverlappingOutput(String name) {
    Backend b = backend(name);
    Tensor all = arena(b, 10);
    Tensor in = all.view(0, Shape.of(6));
    Tensor out = all.view(2, Shape.of(6)); // shifted by two: element 2 is read after it was written
    Tensor other = random(b, 6);
    assertOverlapRefused(() -> b.add(in, other, out), "add", "output y", "a");
    assertOverlapRefused(() -> b.add(other, in, out), "add", "output y", "b");
    assertOverlapRefused(() -> b.mul(in, other, out), "mul", "output y", "a");
    assertOverlapRefused(() -> b.accumulate(in, out), "accumulate", "output dst", "src");
    assertOverlapRefused(() -> b.mulGrad(in, other, out), "mulGrad", "output dx", "dy");
    assertOverlapRefused(
        () -> b.activation(Activation.TANH, in, out), "activation", "output y", "x");
    assertOverlapRefused(
        () -> b.activationGrad(Activation.TANH, other, in, out),
        "activationGrad",
        "output dx",
        "dy");
    // addBias: y may be x, but never overlap the bias it reads for every row
    Tensor x = all.view(0, Shape.of(2, 3));
    assertOverlapRefused(
        () -> b.addBias(x, all.view(4, Shape.of(3)), x), "addBias", "output y", "bias");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void copyHandlesAnyOverlap(String name) {
    Backend b = backend(name);
    NDArray values = TestArrays.uniform(random, -1, 1, 10);
    Tensor all = b.upload(values, scope);
    b.copy(all.view(0, Shape.of(6)), all.view(2, Shape.of(6)));
    float[] expected = values.data().clone();
    System.arraycopy(values.data(), 0, expected, 2, 6);
    assertArrayEquals(expected, b.download(all).data());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void reductionsAndSequenceOpsRefuseAnOverlap(String name) {
    Backend b = backend(name);
    Tensor all = arena(b, 64);
    Tensor x = all.view(0, Shape.of(2, 3, 4));
    assertOverlapRefused(
        () -> b.mse(x, random(b, 2, 3, 4), all.view(5, Shape.of(1))), "mse", "output loss", "pred");
    Tensor dpred = b.allocate(Shape.of(2, 3, 4), scope);
    assertOverlapRefused(
        () -> b.mseGrad(x, random(b, 2, 3, 4), dpred.view(0, Shape.of(1)), dpred),
        "mseGrad",
        "output dpred",
        "dloss");
    assertOverlapRefused(
        () -> b.biasGrad(x, all.view(20, Shape.of(4))), "biasGrad", "output dbias", "dy");
    assertOverlapRefused(
        () -> b.timeStep(x, 1, all.view(8, Shape.of(2, 4))), "timeStep", "output y", "x");
    assertOverlapRefused(
        () -> b.timeStepGrad(all.view(4, Shape.of(2, 4)), 0, x), "timeStepGrad", "output dx", "dy");
    assertOverlapRefused(
        () -> b.gatherRows(x, new int[] {1, 0}, 0, all.view(12, Shape.of(2, 3, 4))),
        "gatherRows",
        "output dst",
        "src");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void normalizationOpsRefuseAnOverlap(String name) {
    Backend b = backend(name);
    Tensor x = random(b, 4, 3);
    Tensor gamma = random(b, 3);
    Tensor beta = random(b, 3);
    Tensor xhat = b.allocate(Shape.of(4, 3), scope);
    Tensor rstd4 = b.allocate(Shape.of(4), scope);
    assertOverlapRefused(
        () -> b.layerNorm(x, gamma, beta, x, xhat, rstd4), "layerNorm", "output y", "x");
    assertOverlapRefused(
        () -> b.layerNorm(x, gamma, beta, xhat, xhat, rstd4),
        "layerNorm",
        "output y",
        "output xhat");
    Tensor dgamma = b.allocate(Shape.of(3), scope);
    assertOverlapRefused(
        () ->
            b.layerNormGrad(
                x, xhat, rstd4, gamma, b.allocate(Shape.of(4, 3), scope), dgamma, dgamma),
        "layerNormGrad",
        "output dgamma",
        "output dbeta");
    Tensor stats = b.allocate(Shape.of(9), scope);
    Tensor mean = stats.view(0, Shape.of(3));
    Tensor var = stats.view(2, Shape.of(3));
    Tensor rstd = stats.view(6, Shape.of(3));
    Tensor y = b.allocate(Shape.of(4, 3), scope);
    assertOverlapRefused(
        () -> b.batchNorm(x, gamma, beta, y, xhat, mean, var, rstd),
        "batchNorm",
        "output mean",
        "output var");
    assertOverlapRefused(
        () -> b.batchNormGrad(x, xhat, rstd, gamma, y, gamma, dgamma),
        "batchNormGrad",
        "output dgamma",
        "gamma");
    assertOverlapRefused(
        () -> b.batchNormInference(x, gamma, beta, mean, rstd, x),
        "batchNormInference",
        "output y",
        "x");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void adamRefusesStateThatOverlaps(String name) {
    Backend b = backend(name);
    Tensor param = random(b, 6);
    Tensor grad = random(b, 6);
    Tensor m = b.allocate(Shape.of(6), scope);
    Tensor v = b.allocate(Shape.of(6), scope);
    assertOverlapRefused(
        () -> b.adam(param, grad, m, m, 1e-3f, 0.9f, 0.999f, 1e-7f),
        "adam",
        "output m",
        "output v");
    assertOverlapRefused(
        () -> b.adam(param, param, m, v, 1e-3f, 0.9f, 0.999f, 1e-7f),
        "adam",
        "output param",
        "grad");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void convolutionRefusesAnOverlap(String name) {
    Backend b = backend(name);
    Conv1dSpec spec = ConvPadding.CAUSAL.spec(5, 2, 1, 1, Activation.LINEAR);
    Tensor all = arena(b, 40);
    Tensor x = all.view(0, Shape.of(1, 5, 2));
    Tensor kernel = random(b, 2, 2, 2);
    Tensor y = all.view(6, Shape.of(1, 5, 2));
    assertOverlapRefused(() -> b.conv1d(x, kernel, null, spec, y), "conv1d", "output y", "x");
    Tensor y2 = random(b, 1, 5, 2);
    Tensor dy = random(b, 1, 5, 2);
    assertOverlapRefused(
        () -> b.conv1dGrad(x, kernel, y2, dy, spec, dy, b.allocate(Shape.of(2, 2, 2), scope), null),
        "conv1dGrad",
        "output dx",
        "dy");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void recurrentOpsRefuseAnOverlap(String name) {
    Backend b = backend(name);
    RecurrentKind kind = RecurrentKind.SIMPLE;
    Tensor x = random(b, 2, 3, 2);
    Tensor h0 = random(b, 2, 4);
    RecurrentParams w = new RecurrentParams(random(b, 2, 4), random(b, 4, 4), random(b, 4));
    Tensor cache = b.allocate(Shape.of(2 * 3 * kind.cacheRow(4) + 24), scope);
    Tensor out = cache.view(cache.size() - 24, Shape.of(2, 3, 4));
    assertOverlapRefused(
        () -> b.recurrentForward(kind, Activation.TANH, x, h0, w, out, cache),
        "recurrentForward",
        "output out",
        "output cache");
    Tensor out2 = b.allocate(Shape.of(2, 3, 4), scope);
    Tensor cache2 = b.allocate(Shape.of(2 * 3 * kind.cacheRow(4)), scope);
    b.recurrentForward(kind, Activation.TANH, x, h0, w, out2, cache2);
    RecurrentParams g =
        new RecurrentParams(
            b.allocate(Shape.of(2, 4), scope),
            b.allocate(Shape.of(4, 4), scope),
            b.allocate(Shape.of(4), scope));
    Tensor dout = random(b, 2, 3, 4);
    assertOverlapRefused(
        () ->
            b.recurrentBackward(
                kind,
                Activation.TANH,
                x,
                h0,
                w,
                out2,
                cache2,
                dout,
                null,
                dout.view(0, Shape.of(2, 4)),
                g),
        "recurrentBackward",
        "output dh0",
        "dout");
  }
}
