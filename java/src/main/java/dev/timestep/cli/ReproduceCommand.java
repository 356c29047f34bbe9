package dev.timestep.cli;

import dev.timestep.backend.Backend;
import dev.timestep.backend.Backends;
import dev.timestep.reproduce.ChapterRow;
import dev.timestep.reproduce.ChapterRows;
import dev.timestep.reproduce.ResultTable;
import dev.timestep.reproduce.RowContext;
import dev.timestep.reproduce.RowResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reproduce}: runs the chapter's table and prints our numbers beside the book's. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Train and evaluate the chapter's models (CHAPTER15 §3) with the book's settings and "
        + "print our validation MSE beside the book's.")
final class ReproduceCommand implements Callable<Integer> {

  @Option(names = "--rows", split = ",", paramLabel = "N",
      description = "Rows to run, e.g. 1,2,7,8 (default: every available row).")
  List<Integer> rows = new ArrayList<>();

  @Option(names = "--epochs", defaultValue = "20", description = "Epochs per model (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  // Any seed is as good as another; results vary by about ±10% across seeds (see README).
  @Option(names = "--seed", defaultValue = "0",
      description = "Seed of the data, the weights and the shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--seeds", defaultValue = "1",
      description = "Run each row with this many seeds (seed, seed+1, ...) and report mean ± std "
          + "(default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "0",
      description = "Rows trained at once, each on one thread (default 0: one per core).")
  int parallel;

  @Option(names = "--backend", defaultValue = "auto",
      description = "auto, cuda, cpu or reference (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path json;

  /** Trains one row with every seed; rows may run on several threads at once. */
  private RowResult runRow(ChapterRow row, List<RowContext> contexts, boolean interactive) {
    List<Double> values = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < seeds; i++) {
      String label = "row " + row.number() + (seeds > 1 ? " seed " + (seed + i) : "");
      System.err.println(label + ": " + row.model() + " (" + row.task() + ")");
      values.add(row.run(contexts.get(i).withListener(new ConsoleProgress(System.err, interactive, label))));
    }
    return new RowResult(row, values, (System.nanoTime() - start) / 1e9);
  }

  @Override
  public Integer call() throws Exception {
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be at least 1, got " + seeds);
    }
    List<ChapterRow> selected = ChapterRows.select(rows);
    Backend b = Backends.named(backend);
    boolean automatic = backend.equalsIgnoreCase("auto") && b == Backends.autoChoice().backend();
    String why = automatic ? " (" + Backends.autoChoice().reason() + ")" : " (forced)";
    System.out.println("Timestep reproduce: backend " + b.name() + why + "; " + epochs + " epochs, batch "
        + batchSize + ", seed " + seed + (seeds > 1 ? " to " + (seed + seeds - 1) : ""));
    int workers = parallel > 0 ? parallel : Runtime.getRuntime().availableProcessors();
    workers = Math.max(1, Math.min(workers, selected.size()));
    // In-place progress bars only make sense when one row prints at a time.
    boolean interactive = System.console() != null && workers == 1;
    long total = System.nanoTime();
    List<RowContext> contexts = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      contexts.add(new RowContext(b, epochs, batchSize, seed + i, null));
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
    }
    System.out.println();
    ResultTable.print(results, System.out);
    System.out.printf(java.util.Locale.ROOT, "total %.1f s on %s%n", (System.nanoTime() - total) / 1e9, b.description());
    if (json != null) {
      ResultTable.writeJson(results, json, b.name(), seed, epochs);
      System.out.println("wrote " + json);
    }
    return 0;
  }
}
