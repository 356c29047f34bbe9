package dev.timestep.cli;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.nn.Callback;
import dev.timestep.plot.LearningCurvePlot;
import dev.timestep.reproduce.ChapterRow;
import dev.timestep.reproduce.ChapterRows;
import dev.timestep.reproduce.ResultChart;
import dev.timestep.reproduce.ResultTable;
import dev.timestep.reproduce.RowContext;
import dev.timestep.reproduce.RowResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reproduce}: runs the chapter's table and prints our numbers beside the book's. */
@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description =
        "Train and evaluate the chapter's models with the book's settings and "
            + "print our validation MSE beside the book's; --out DIR also writes the table and plots.")
final class ReproduceCommand implements Callable<Integer> {

  @Option(
      names = "--rows",
      split = ",",
      paramLabel = "N",
      description = "Rows to run, e.g. 1,2,7,8 (default: every available row).")
  List<Integer> rows = new ArrayList<>();

  @Option(
      names = "--epochs",
      defaultValue = "20",
      description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  // Any seed is as good as another; results vary by about ±10% across seeds (see README).
  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the data, the weights and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--seeds",
      defaultValue = "1",
      description =
          "Run each row with this many seeds (seed, seed+1, ...) and report mean ± std "
              + "(default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "0",
      description = "Rows trained at once, each on one thread (default 0: one per core).")
  int parallel;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "auto, cuda, cpu or reference (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the results as JSON to FILE.")
  Path json;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Also write into DIR: results.md (the table), results.png (our numbers beside the book's) and "
              + "row-NN-curves.png (learning curves of each trained row, first seed).")
  Path outDir;

  /** Bytes a seed's training context takes at least. */
  private static final long SEED_BYTES = 64;

  /** Learning curves of each row's first seed, by row number (filled only with --out). */
  private final Map<Integer, CurveRecorder> curves = new ConcurrentHashMap<>();

  /** Trains one row with every seed; rows may run on several threads at once. */
  private RowResult runRow(ChapterRow row, List<RowContext> contexts, boolean interactive) {
    List<Double> values = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < seeds; i++) {
      String label = "row " + row.number() + (seeds > 1 ? " seed " + (seed + i) : "");
      List<Callback> callbacks = new ArrayList<>();
      if (!CliLog.quiet()) {
        System.err.println(label + ": " + row.model() + " (" + row.task() + ")");
        callbacks.add(new ConsoleProgress(System.err, interactive, label));
      }
      if (outDir != null && i == 0) {
        CurveRecorder recorder = new CurveRecorder();
        curves.put(row.number(), recorder);
        callbacks.add(recorder);
      }
      values.add(row.run(contexts.get(i).withCallbacks(callbacks.toArray(new Callback[0]))));
    }
    // The CPU backend keeps freed tensor blocks for reuse by size; the next rows are other models
    // of other sizes, so this row's blocks would only add to the peak (about 90 MB by the table's
    // end). A row running beside this one allocates its blocks again once: one step's worth.
    if (contexts.get(0).backend() instanceof CpuBackend) {
      CpuBackend.releaseCachedMemory();
    }
    return new RowResult(row, values, (System.nanoTime() - start) / 1e9);
  }

  /** Every file the run will write, checked before any training. */
  private void checkOutputs(List<ChapterRow> selected) {
    if (json != null) {
      OutputFiles.check("--json", json);
    }
    if (outDir == null) {
      return;
    }
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new IllegalArgumentException(
          "--out "
              + outDir
              + " is a file; expected a folder for results.md, "
              + "results.png and the learning curves");
    }
    OutputFiles.check("--out", outDir.resolve("results.md"));
    OutputFiles.check("--out", outDir.resolve("results.png"));
    for (ChapterRow row : selected) {
      OutputFiles.check("--out", outDir.resolve(curvesName(row)));
    }
  }

  private static String curvesName(ChapterRow row) {
    return String.format(Locale.ROOT, "row-%02d-curves.png", row.number());
  }

  /** results.md, results.png and the learning curves of every row that trained. */
  private void writeOutputs(List<RowResult> results, String backendName) throws IOException {
    Files.createDirectories(outDir);
    String settings =
        String.format(
            Locale.ROOT,
            "Backend %s, %d epochs, batch %d, seed%s %s; metric: validation MSE "
                + "(rows 10-16: of the last time step).",
            backendName,
            epochs,
            batchSize,
            seeds > 1 ? "s" : "",
            seeds > 1 ? seed + " to " + (seed + seeds - 1) : String.valueOf(seed));
    ResultTable.writeMarkdown(results, outDir.resolve("results.md"), settings);
    try {
      writeCharts(results);
    } catch (LinkageError e) {
      // A trimmed runtime (the GPU bundle's jlink image) may lack java.desktop: keep the table.
      System.out.println("wrote results.md to " + outDir + "; " + ChartsUnavailable.because(e));
    }
  }

  private void writeCharts(List<RowResult> results) throws IOException {
    ResultChart.write(results, outDir.resolve("results.png"));
    int plots = 0;
    for (RowResult r : results) {
      CurveRecorder recorder = curves.get(r.row().number());
      Map<String, double[]> c = recorder == null ? Map.of() : recorder.curves();
      if (!c.isEmpty()) {
        LearningCurvePlot.of(c)
            .title("row " + r.row().number() + ": " + r.row().model() + " (seed " + seed + ")")
            .logScale(true)
            .write(outDir.resolve(curvesName(r.row())));
        plots++;
      }
    }
    System.out.println(
        "wrote results.md, results.png and " + plots + " learning-curve plot(s) to " + outDir);
  }

  @Override
  public Integer call() throws Exception {
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
    }
    List<ChapterRow> selected = ChapterRows.select(rows);
    // Each seed keeps a training context and one result per row.
    SizeLimits.checkMemory(
        "--seeds", seeds, SEED_BYTES + 16L * selected.size(), "the runs of each seed");
    checkOutputs(selected);
    // The first line below names the backend and why: the library's banner would repeat it.
    CliLog.backendShownByCommand();
    Backend b = Backends.named(backend);
    boolean automatic = backend.equalsIgnoreCase("auto") && b == Backends.autoChoice().backend();
    String why = automatic ? " (" + Backends.autoChoice().reason() + ")" : " (forced)";
    System.out.println(
        "Timestep reproduce: backend "
            + b.name()
            + why
            + "; "
            + epochs
            + " epochs, batch "
            + batchSize
            + ", seed "
            + seed
            + (seeds > 1 ? " to " + (seed + seeds - 1) : ""));
    int workers = parallel > 0 ? parallel : Runtime.getRuntime().availableProcessors();
    workers = Math.max(1, Math.min(workers, selected.size()));
    // In-place progress bars only make sense when one row prints at a time.
    boolean interactive = System.console() != null && workers == 1;
    long total = System.nanoTime();
    List<RowContext> contexts = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      contexts.add(new RowContext(b, epochs, batchSize, seed + i));
    }
    // Rows in parallel already use the cores: kernels that split work over them as well would
    // oversubscribe (2 rows x 2 kernel threads on 2 cores: 48 s for the table instead of 33 s).
    // The kernels share the cores between concurrent callers on their own (run_slices), but a
    // call that starts while the other row is between kernels still takes both: 42 s. Results
    // have the same bits on any kernel thread count, so this changes only the time.
    boolean oneKernelThread =
        workers > 1
            && b instanceof CpuBackend
            && System.getProperty(CpuBackend.THREADS_PROPERTY) == null;
    if (oneKernelThread) {
      CpuBackend.setThreads(1);
    }
    List<RowResult> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<RowResult>> futures = new ArrayList<>();
      for (ChapterRow row : selected) {
        futures.add(pool.submit(() -> runRow(row, contexts, interactive)));
      }
      for (Future<RowResult> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
    } finally {
      pool.shutdownNow();
      if (oneKernelThread) {
        CpuBackend.setThreads(0);
      }
    }
    System.out.println();
    ResultTable.print(results, System.out);
    System.out.printf(
        java.util.Locale.ROOT,
        "total %.1f s on %s%s%n",
        (System.nanoTime() - total) / 1e9,
        b.description(),
        oneKernelThread ? "; " + workers + " rows at a time, 1 kernel thread each" : "");
    if (json != null) {
      ResultTable.writeJson(results, json, b.name(), seed, epochs);
      System.out.println("wrote " + json);
    }
    if (outDir != null) {
      writeOutputs(results, b.name());
    }
    return 0;
  }
}
