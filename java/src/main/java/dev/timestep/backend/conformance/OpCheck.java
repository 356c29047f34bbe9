package dev.timestep.backend.conformance;

import dev.timestep.backend.Activation;
import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.tensor.NDArray;
import dev.timestep.tensor.Scope;
import dev.timestep.tensor.Shape;
import dev.timestep.tensor.Tensor;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The backend conformance suite: runs every {@link Backend} operation on a candidate backend and on
 * the float32 reference with identical seeded inputs, and prints one table: the error of each op,
 * and both timings. The CLI's {@code selfcheck} and the GPU check run it.
 *
 * <p>Error: the worst {@code |c - r| / (atol + rtol * |r|)} over every element the op writes, with
 * the op's family from {@link Tolerance} (the table the JUnit native-vs-reference tests use too); a
 * row passes at or below 1. Accumulating ops start from the same non-zero outputs on both sides, so
 * their "add into" rule is checked too. Time: median of {@value #REPEATS} calls after {@value
 * #WARMUPS} warm-ups, each ended by {@link Backend#synchronize()}, so it includes call overhead.
 * Timings run after the comparison, on the same tensors (accumulating outputs drift; that does not
 * matter for timing).
 */
public final class OpCheck {
  static final int WARMUPS = 2;
  static final int REPEATS = 10;

  private static final int[] SIZES = {1, 17, 4099, 1_000_003};
  private static final int[] ACTIVATION_SIZES = {17, 1_000_003};

  private OpCheck() {}

  /**
   * One op at one shape: its tolerance family, its error against the reference as a fraction of
   * what the family allows (see {@link Tolerance#worstRatio}), and both median times.
   */
  public record Row(
      String op,
      String shape,
      Tolerance tolerance,
      double errorRatio,
      double candidateMicros,
      double referenceMicros,
      boolean pass) {}

  /** Runs an op on tensors made from a case's inputs; may return a new tensor to compare. */
  @FunctionalInterface
  interface Kernel {
    Tensor run(Backend backend, Tensor[] t, Scope scratch);
  }

  /**
   * One check: host inputs uploaded in order to both backends, the indices of those tensors the op
   * writes (compared after one call), and the op.
   */
  record Case(String op, String shape, NDArray[] inputs, int[] outputs, Kernel kernel) {}

  /**
   * Checks {@code candidate} against {@link ReferenceBackend#float32()}, printing the table to
   * {@code out} row by row (so a crash shows where it happened), then a summary line.
   */
  public static List<Row> run(Backend candidate, PrintStream out) {
    Backend reference = ReferenceBackend.float32();
    out.println(
        "OpCheck: "
            + candidate.name()
            + " ("
            + candidate.description()
            + ") vs reference ("
            + reference.description()
            + ")");
    out.println(
        "error = max |c-r| / (atol + rtol*|r|) over each op's outputs, pass <= 1; tolerances: "
            + Tolerance.describe());
    out.println(
        "time = median of " + REPEATS + " calls after " + WARMUPS + " warm-ups, synchronized");
    Table table = new Table(out, candidate.name());
    table.header();
    List<Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<Case> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      Row row = check(cases.get(i), candidate, reference, true, notes);
      rows.add(row);
      table.row(row);
    }
    long failed = rows.stream().filter(r -> !r.pass()).count();
    out.println();
    out.println(
        "OpCheck "
            + candidate.name()
            + ": "
            + rows.size()
            + " rows, "
            + (rows.size() - failed)
            + " ok, "
            + failed
            + " failing");
    for (String note : notes) {
      out.println("  " + note);
    }
    return rows;
  }

  /**
   * {@code OpCheck [backend]}: checks the named backend (auto, cuda, cpu, reference; default auto).
   * Exit status 0 when every row passes, 1 when any fails, 2 when the backend cannot run.
   */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    String name = "auto";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--backend") && i + 1 < args.length) {
        name = args[++i];
      } else if (args[i].startsWith("--backend=")) {
        name = args[i].substring("--backend=".length());
      } else if (args[i].equals("-h") || args[i].equals("--help")) {
        out.println("usage: OpCheck [auto|cuda|cpu|reference]   (default auto)");
        System.exit(0);
      } else {
        name = args[i];
      }
    }
    for (String line : Backends.report()) {
      out.println("backend " + line);
    }
    Backend candidate;
    try {
      candidate = Backends.named(name);
    } catch (RuntimeException | LinkageError e) {
      out.println("OpCheck: backend '" + name + "' cannot run here: " + e.getMessage());
      out.flush();
      System.exit(2);
      return;
    }
    List<Row> rows = run(candidate, out);
    out.flush();
    System.exit(rows.stream().allMatch(Row::pass) ? 0 : 1);
  }

  // ---- running one case -----------------------------------------------------------------

  /**
   * Compares every case of the table on {@code candidate} with the float32 reference, without
   * timing (the times are NaN): what the JUnit conformance test runs. Returns one row per case;
   * {@code notes} gets the reason of each failing row.
   */
  public static List<Row> compare(Backend candidate, List<String> notes) {
    Backend reference = ReferenceBackend.float32();
    List<Row> rows = new ArrayList<>();
    for (Case c : cases()) {
      rows.add(check(c, candidate, reference, false, notes));
    }
    return rows;
  }

  private static Row check(
      Case c, Backend candidate, Backend reference, boolean timed, List<String> notes) {
    try (Scope cs = new Scope();
        Scope rs = new Scope()) {
      Tensor[] ct = upload(candidate, c.inputs(), cs);
      Tensor[] rt = upload(reference, c.inputs(), rs);
      Tensor cx = c.kernel().run(candidate, ct, cs);
      candidate.synchronize();
      Tensor rx = c.kernel().run(reference, rt, rs);
      Tolerance tolerance = Tolerance.forOp(c.op());
      double err = 0;
      for (int i : c.outputs()) {
        err =
            worse(
                err,
                tolerance.worstRatio(
                    candidate.download(ct[i]).data(), reference.download(rt[i]).data()));
      }
      if (cx != null) {
        err =
            worse(
                err,
                tolerance.worstRatio(candidate.download(cx).data(), reference.download(rx).data()));
      }
      double candidateMicros = timed ? time(c.kernel(), candidate, ct, cs) : Double.NaN;
      double referenceMicros = timed ? time(c.kernel(), reference, rt, rs) : Double.NaN;
      boolean pass = err <= 1; // false for NaN
      if (!pass) {
        notes.add(
            c.op()
                + " "
                + c.shape()
                + ": error "
                + err
                + " times what "
                + tolerance.name().toLowerCase(Locale.ROOT)
                + " allows");
      }
      return new Row(c.op(), c.shape(), tolerance, err, candidateMicros, referenceMicros, pass);
    } catch (RuntimeException | LinkageError e) {
      notes.add(c.op() + " " + c.shape() + ": " + e);
      return new Row(
          c.op(), c.shape(), Tolerance.forOp(c.op()), Double.NaN, Double.NaN, Double.NaN, false);
    }
  }

  private static Tensor[] upload(Backend backend, NDArray[] inputs, Scope scope) {
    Tensor[] t = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      t[i] = backend.upload(inputs[i], scope);
    }
    backend.synchronize();
    return t;
  }

  /** Median microseconds of {@link #REPEATS} synchronized calls after {@link #WARMUPS} warm-ups. */
  private static double time(Kernel kernel, Backend backend, Tensor[] t, Scope scratch) {
    for (int i = 0; i < WARMUPS; i++) {
      close(kernel.run(backend, t, scratch));
      backend.synchronize();
    }
    long[] samples = new long[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      long start = System.nanoTime();
      Tensor extra = kernel.run(backend, t, scratch);
      backend.synchronize();
      close(extra);
      samples[i] = System.nanoTime() - start;
    }
    Arrays.sort(samples);
    double median =
        REPEATS % 2 == 1
            ? samples[REPEATS / 2]
            : (samples[REPEATS / 2 - 1] + samples[REPEATS / 2]) / 2.0;
    return median / 1000.0;
  }

  private static void close(Tensor t) {
    if (t != null) {
      t.close();
    }
  }

  /** The larger of two error ratios, NaN when either is. */
  private static double worse(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  // ---- the cases ---------------------------------------------------------------------------

  private static List<Case> cases() {
    SplittableRandom random = new SplittableRandom(20240611L);
    List<Case> cases = new ArrayList<>();

    // memory
    cases.add(
        new Case(
            "readScalar",
            "[1]",
            arrays(random, new int[] {1}),
            new int[] {0},
            (b, t, s) -> {
              b.readScalar(t[0]);
              return null;
            }));
    for (int n : new int[] {17, 1_000_003}) {
      Shape shape = Shape.of(n);
      cases.add(
          new Case(
              "allocate",
              shape.toString(),
              new NDArray[0],
              new int[0],
              (b, t, s) -> b.allocate(shape, s)));
    }
    for (int n : new int[] {17, 1_000_003}) {
      NDArray host = uniform(random, -1, 1, n);
      cases.add(
          new Case(
              "upload (new tensor)",
              "[" + n + "]",
              new NDArray[0],
              new int[0],
              (b, t, s) -> b.upload(host, s)));
    }
    for (int n : SIZES) {
      NDArray host = uniform(random, -1, 1, n);
      cases.add(
          new Case(
              "upload",
              "[" + n + "]",
              new NDArray[] {NDArray.zeros(n)},
              new int[] {0},
              (b, t, s) -> {
                b.upload(host, t[0]);
                return null;
              }));
      cases.add(
          new Case(
              "download",
              "[" + n + "]",
              arrays(random, new int[] {n}),
              new int[] {0},
              (b, t, s) -> {
                b.download(t[0]);
                return null;
              }));
      cases.add(
          new Case(
              "fill",
              "[" + n + "]",
              arrays(random, new int[] {n}),
              new int[] {0},
              (b, t, s) -> {
                b.fill(t[0], 0.625f);
                return null;
              }));
      cases.add(
          new Case(
              "copy",
              "[" + n + "]",
              arrays(random, new int[] {n}, new int[] {n}),
              new int[] {1},
              (b, t, s) -> {
                b.copy(t[0], t[1]);
                return null;
              }));
      cases.add(
          new Case(
              "accumulate",
              "[" + n + "]",
              arrays(random, new int[] {n}, new int[] {n}),
              new int[] {1},
              (b, t, s) -> {
                b.accumulate(t[0], t[1]);
                return null;
              }));
    }
    gatherRows(cases, random, 100, 17, 37, 5);
    gatherRows(cases, random, 5000, 33, 1024, 0);

    // matmul: every transposition, with and without accumulation, on odd shapes; the Dense
    // shapes (forward NN, dW = xᵀ·dy as TN, dX = dy·Wᵀ as NT); one large square product.
    for (int[] mkn : new int[][] {{1, 1, 1}, {3, 5, 7}, {33, 17, 65}}) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          matmul(cases, random, mkn[0], mkn[1], mkn[2], ta, tb, false);
        }
      }
      matmul(cases, random, mkn[0], mkn[1], mkn[2], false, false, true);
      matmul(cases, random, mkn[0], mkn[1], mkn[2], true, true, true);
    }
    matmul(cases, random, 32, 50, 10, false, false, false);
    matmul(cases, random, 50, 32, 10, true, false, true);
    matmul(cases, random, 32, 10, 50, false, true, true);
    matmul(cases, random, 512, 512, 512, false, false, false);

    // bias
    for (int[] dims : new int[][] {{1, 1}, {3, 7}, {32, 10}, {3, 5, 17}, {4096, 257}}) {
      String shape = Arrays.toString(dims);
      int cols = dims[dims.length - 1];
      cases.add(
          new Case(
              "addBias",
              shape,
              arrays(random, dims, new int[] {cols}, dims),
              new int[] {2},
              (b, t, s) -> {
                b.addBias(t[0], t[1], t[2]);
                return null;
              }));
      cases.add(
          new Case(
              "biasGrad",
              shape,
              arrays(random, dims, new int[] {cols}),
              new int[] {1},
              (b, t, s) -> {
                b.biasGrad(t[0], t[1]);
                return null;
              }));
    }

    // elementwise
    for (int n : SIZES) {
      String shape = "[" + n + "]";
      cases.add(
          new Case(
              "add",
              shape,
              arrays(random, new int[] {n}, new int[] {n}, new int[] {n}),
              new int[] {2},
              (b, t, s) -> {
                b.add(t[0], t[1], t[2]);
                return null;
              }));
      cases.add(
          new Case(
              "mul",
              shape,
              arrays(random, new int[] {n}, new int[] {n}, new int[] {n}),
              new int[] {2},
              (b, t, s) -> {
                b.mul(t[0], t[1], t[2]);
                return null;
              }));
      cases.add(
          new Case(
              "mulGrad",
              shape,
              arrays(random, new int[] {n}, new int[] {n}, new int[] {n}),
              new int[] {2},
              (b, t, s) -> {
                b.mulGrad(t[0], t[1], t[2]);
                return null;
              }));
    }
    for (Activation kind : Activation.values()) {
      String name = kind.name().toLowerCase(Locale.ROOT);
      for (int n : ACTIVATION_SIZES) {
        String shape = "[" + n + "]";
        // Inputs span [-4, 4] so tanh and sigmoid leave their linear range.
        NDArray x = uniform(random, -4, 4, n);
        cases.add(
            new Case(
                "activation(" + name + ")",
                shape,
                new NDArray[] {x, uniform(random, -1, 1, n)},
                new int[] {1},
                (b, t, s) -> {
                  b.activation(kind, t[0], t[1]);
                  return null;
                }));
        // The gradient is written through the forward output y = f(x).
        NDArray y = applied(kind, uniform(random, -4, 4, n));
        cases.add(
            new Case(
                "activationGrad(" + name + ")",
                shape,
                new NDArray[] {y, uniform(random, -1, 1, n), uniform(random, -1, 1, n)},
                new int[] {2},
                (b, t, s) -> {
                  b.activationGrad(kind, t[0], t[1], t[2]);
                  return null;
                }));
      }
    }

    // sequences
    for (int[] btf : new int[][] {{1, 1, 1}, {3, 7, 5}, {32, 20, 17}}) {
      String shape = Arrays.toString(btf);
      int[] last = {btf[0], btf[2]};
      cases.add(
          new Case(
              "lastStep",
              shape,
              arrays(random, btf, last),
              new int[] {1},
              (b, t, s) -> {
                b.lastStep(t[0], t[1]);
                return null;
              }));
      cases.add(
          new Case(
              "lastStepGrad",
              shape,
              arrays(random, last, btf),
              new int[] {1},
              (b, t, s) -> {
                b.lastStepGrad(t[0], t[1]);
                return null;
              }));
    }

    // loss
    for (int[] dims : new int[][] {{1}, {17}, {32, 10}, {4099}, {1_000_003}}) {
      String shape = Arrays.toString(dims);
      cases.add(
          new Case(
              "mse",
              shape,
              arrays(random, dims, dims, new int[] {1}),
              new int[] {2},
              (b, t, s) -> {
                b.mse(t[0], t[1], t[2]);
                return null;
              }));
      cases.add(
          new Case(
              "mseGrad",
              shape,
              arrays(random, dims, dims, new int[] {1}, dims),
              new int[] {3},
              (b, t, s) -> {
                b.mseGrad(t[0], t[1], t[2], t[3]);
                return null;
              }));
    }

    OpCheckLossCases.add(cases);

    // reduction to one value, and its gradient (accumulating into dx)
    for (int n : new int[] {1, 17, 4099, 1_000_003}) {
      String shape = "[" + n + "]";
      cases.add(
          new Case(
              "sum",
              shape,
              arrays(random, new int[] {n}, new int[] {1}),
              new int[] {1},
              (b, t, s) -> {
                b.sum(t[0], t[1]);
                return null;
              }));
      cases.add(
          new Case(
              "sumGrad",
              shape,
              arrays(random, new int[] {1}, new int[] {n}),
              new int[] {1},
              (b, t, s) -> {
                b.sumGrad(t[0], t[1]);
                return null;
              }));
    }

    // optimizers: param, grad, first moments and velocities in [-1, 1]; running means of squares
    // (v, vhat, RMSprop's velocity) in [0, 1), a second moment is never negative
    for (int n : SIZES) {
      optimizers(cases, random, n);
    }

    // recurrent layers, Conv1D, layer and batch normalization
    OpCheckSequenceCases.add(cases, random);
    return cases;
  }

  /** The fused optimizer steps at size n, each variant with its optional state present. */
  private static void optimizers(List<Case> cases, SplittableRandom random, int n) {
    String shape = "[" + n + "]";
    cases.add(
        new Case(
            "adam",
            shape,
            new NDArray[] {
              uniform(random, -1, 1, n),
              uniform(random, -1, 1, n),
              uniform(random, -1, 1, n),
              uniform(random, 0, 1, n)
            },
            new int[] {0, 2, 3},
            (b, t, s) -> {
              b.adam(t[0], t[1], t[2], t[3], 1e-3f, 0.9f, 0.999f, 1e-7f);
              return null;
            }));
    cases.add(
        new Case(
            "adam(amsgrad, decay)",
            shape,
            new NDArray[] {
              uniform(random, -1, 1, n),
              uniform(random, -1, 1, n),
              uniform(random, -1, 1, n),
              uniform(random, 0, 1, n),
              uniform(random, 0, 1, n)
            },
            new int[] {0, 2, 3, 4},
            (b, t, s) -> {
              b.adam(t[0], t[1], t[2], t[3], t[4], 1e-3f, 0.9f, 0.999f, 1e-7f, 4e-6f);
              return null;
            }));
    cases.add(
        new Case(
            "sgd",
            shape,
            new NDArray[] {uniform(random, -1, 1, n), uniform(random, -1, 1, n)},
            new int[] {0},
            (b, t, s) -> {
              b.sgd(t[0], t[1], null, 0.01f, 0f, false);
              return null;
            }));
    for (boolean nesterov : new boolean[] {false, true}) {
      cases.add(
          new Case(
              nesterov ? "sgd(nesterov)" : "sgd(momentum)",
              shape,
              new NDArray[] {
                uniform(random, -1, 1, n), uniform(random, -1, 1, n), uniform(random, -1, 1, n)
              },
              new int[] {0, 2},
              (b, t, s) -> {
                b.sgd(t[0], t[1], t[2], 0.01f, 0.9f, nesterov);
                return null;
              }));
    }
    cases.add(
        new Case(
            "rmsprop",
            shape,
            new NDArray[] {
              uniform(random, -1, 1, n), uniform(random, -1, 1, n), uniform(random, 0, 1, n)
            },
            new int[] {0, 2},
            (b, t, s) -> {
              b.rmsprop(t[0], t[1], t[2], null, null, 1e-3f, 0.9f, 0f, 1e-7f);
              return null;
            }));
    // centered: velocity in [1, 2) stays above the square of the mean gradient (at most 0.55^2)
    cases.add(
        new Case(
            "rmsprop(centered, momentum)",
            shape,
            new NDArray[] {
              uniform(random, -1, 1, n),
              uniform(random, -1, 1, n),
              uniform(random, 1, 2, n),
              uniform(random, -0.5, 0.5, n),
              uniform(random, -1, 1, n)
            },
            new int[] {0, 2, 3, 4},
            (b, t, s) -> {
              b.rmsprop(t[0], t[1], t[2], t[3], t[4], 1e-3f, 0.9f, 0.5f, 1e-7f);
              return null;
            }));
  }

  private static void gatherRows(
      List<Case> cases, SplittableRandom random, int srcRows, int cols, int count, int from) {
    int[] rows = new int[from + count + 3];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextInt(srcRows);
    }
    cases.add(
        new Case(
            "gatherRows",
            "[" + srcRows + ", " + cols + "] -> [" + count + ", " + cols + "]",
            arrays(random, new int[] {srcRows, cols}, new int[] {count, cols}),
            new int[] {1},
            (b, t, s) -> {
              b.gatherRows(t[0], rows, from, t[1]);
              return null;
            }));
  }

  private static void matmul(
      List<Case> cases,
      SplittableRandom random,
      int m,
      int k,
      int n,
      boolean ta,
      boolean tb,
      boolean accumulate) {
    int[] a = ta ? new int[] {k, m} : new int[] {m, k};
    int[] b = tb ? new int[] {n, k} : new int[] {k, n};
    String shape =
        m
            + "x"
            + k
            + "x"
            + n
            + " "
            + (ta ? "T" : "N")
            + (tb ? "T" : "N")
            + (accumulate ? " +=" : "");
    cases.add(
        new Case(
            "matmul",
            shape,
            arrays(random, a, b, new int[] {m, n}),
            new int[] {2},
            (be, t, s) -> {
              be.matmul(t[0], ta, t[1], tb, t[2], accumulate);
              return null;
            }));
  }

  // ---- inputs ------------------------------------------------------------------------------

  /** One uniform [-1, 1) array per shape, in order. */
  static NDArray[] arrays(SplittableRandom random, int[]... shapes) {
    NDArray[] out = new NDArray[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      out[i] = uniform(random, -1, 1, shapes[i]);
    }
    return out;
  }

  static NDArray uniform(SplittableRandom random, double lo, double hi, int... dims) {
    Shape shape = Shape.of(dims);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (lo + random.nextDouble() * (hi - lo));
    }
    return new NDArray(shape, v);
  }

  private static NDArray applied(Activation kind, NDArray x) {
    float[] v = x.data();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) kind.apply(v[i]);
    }
    return x;
  }

  // ---- output ------------------------------------------------------------------------------

  /** Fixed-width rows, printed as they are produced, so the table stays one table. */
  private static final class Table {
    private final PrintStream out;
    private final String format;
    private final String candidate;

    Table(PrintStream out, String candidate) {
      this.out = out;
      this.candidate = candidate;
      this.format = "%-24s | %-26s | %-9s | %11s | %12s | %12s | %s%n";
    }

    void header() {
      out.printf(
          Locale.ROOT,
          format,
          "op",
          "shape",
          "tolerance",
          "err/allowed",
          candidate + " µs",
          "reference µs",
          "ok");
      out.println(
          "-".repeat(24)
              + "-|-"
              + "-".repeat(26)
              + "-|-"
              + "-".repeat(9)
              + "-|-"
              + "-".repeat(11)
              + "-|-"
              + "-".repeat(12)
              + "-|-"
              + "-".repeat(12)
              + "-|---");
    }

    void row(Row r) {
      out.printf(
          Locale.ROOT,
          format,
          r.op(),
          r.shape(),
          r.tolerance().name().toLowerCase(Locale.ROOT),
          error(r.errorRatio()),
          micros(r.candidateMicros()),
          micros(r.referenceMicros()),
          r.pass() ? "ok" : "FAIL");
    }

    private static String error(double e) {
      return Double.isNaN(e) ? "NaN" : String.format(Locale.ROOT, "%.2e", e);
    }

    private static String micros(double us) {
      if (Double.isNaN(us)) {
        return "-";
      }
      return String.format(Locale.ROOT, us >= 100 ? "%.0f" : "%.2f", us);
    }
  }
}
