package dev.timestep.benchmarks;

import static dev.timestep.benchmarks.ReportFormat.ratio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The targets of CPU speed round 2, each with the value a {@link Round2Data} measured. */
final class Round2Targets {
  /** The chapter rows with a recurrent layer: SimpleRNN, LN-SimpleRNN, LSTM, GRU, Conv-GRU. */
  static final List<Integer> RECURRENT_ROWS = List.of(3, 4, 5, 9, 10, 11, 12, 13, 14);

  /** The chapter LSTM's row. */
  static final int LSTM_ROW = 12;

  private Round2Targets() {}

  /**
   * The whole chapter's peak RSS. With a bounded-heap run, that run decides it: with its defaults
   * the JVM sizes its heap from the machine's memory, not from what the program keeps alive, so the
   * default run's peak is mostly an empty heap's worth of young objects; both runs are in the
   * detail.
   */
  static Round2Target peakRss(ReproduceRun r) {
    String name = "Whole chapter peak RSS";
    if (r == null) {
      return new Round2Target(name, true, 300, "MB", Double.NaN, "");
    }
    ReproduceRun b = r.bounded();
    if (b == null) {
      return new Round2Target(name, true, 300, "MB", r.peakRssMb(), r.rssSource());
    }
    String detail =
        String.format(
            Locale.ROOT,
            "decided by the run with `%s` (%s x the live set of %s MB); with JVM defaults %s MB, "
                + "a heap of %s MB held for that live set; %s",
            b.flagsText(),
            Round2Target.number(ReproduceRun.HEAP_PER_LIVE),
            Round2Target.number(r.liveSetMb()),
            Round2Target.number(r.peakRssMb()),
            Round2Target.number(r.heapMb()),
            b.rssSource());
    return new Round2Target(name, true, 300, "MB", b.peakRssMb(), detail);
  }

  /** Every target, in the order. */
  static List<Round2Target> of(Round2Data d) {
    List<Round2Target> t = new ArrayList<>();
    t.add(
        new Round2Target(
            "Chapter LSTM seq-to-seq epoch with validation, 1 thread",
            true,
            0.15,
            "s",
            d.epochUs() / 1e6,
            "PyTorch " + ReportFormat.micros(d.epochPeerUs())));
    t.add(
        new Round2Target(
            "Chapter LSTM epoch: PyTorch / Timestep, thread for thread",
            false,
            20,
            "x",
            d.epochPeerUs() / d.epochUs(),
            ""));
    t.add(recurrentRows(d));
    ReproduceRun r = d.reproduce();
    String reproduceDetail =
        r == null
            ? ""
            : "process wall "
                + Round2Target.number(r.wallSeconds())
                + " s, `"
                + r.commandLine()
                + "`"
                + (d.quick() ? " (--quick: not the whole chapter)" : "");
    t.add(
        new Round2Target(
            "Whole chapter (`reproduce`, its total line), 2 cores",
            true,
            10,
            "s",
            r == null ? Double.NaN : r.totalSeconds(),
            reproduceDetail));
    t.add(peakRss(r));
    t.add(sweepVsPeer(d.sweep()));
    t.add(largeLstm(d));
    t.add(sweepFloor(d.sweep()));
    t.add(
        new Round2Target(
            "Single-series inference, chapter LSTM (1 x 50), 1 thread",
            true,
            10,
            "µs",
            chapterTiming(d, LSTM_ROW).map(ModelTiming::inferUs).orElse(Double.NaN),
            ""));
    t.add(
        new Round2Target(
            "WaveNet inference on 16,000 steps, 1 core",
            true,
            2,
            "ms",
            jmh(d, "ConvBenchmark.waveNetInfer16k").map(b -> b.medianUs() / 1e3).orElse(Double.NaN),
            ""));
    return t;
  }

  private static Round2Target recurrentRows(Round2Data d) {
    double lowest = Double.NaN;
    String detail = "";
    List<Integer> missing = new ArrayList<>();
    for (int row : RECURRENT_ROWS) {
      double peer = d.peer() == null ? Double.NaN : d.peer().trainUs(row);
      double ours = chapterTiming(d, row).map(ModelTiming::trainUs).orElse(Double.NaN);
      double ratio = peer / ours;
      if (Double.isNaN(ratio)) {
        missing.add(row);
      } else if (Double.isNaN(lowest) || ratio < lowest) {
        lowest = ratio;
        detail = "lowest: row " + row + " (" + ChapterWorkload.row(row).model() + ")";
      }
    }
    if (!missing.isEmpty()) {
      // a bound on every row cannot be met by the rows that happened to run
      detail =
          (Double.isNaN(lowest) ? "" : "lowest measured " + ratio(lowest) + ", " + detail + "; ")
              + "not measured: rows "
              + missing;
      lowest = Double.NaN;
    }
    return new Round2Target(
        "Every recurrent chapter model's training step: PyTorch / Timestep, 1 thread",
        false,
        15,
        "x",
        lowest,
        detail);
  }

  private static Round2Target sweepVsPeer(List<SweepResult> sweep) {
    Optional<SweepResult> worst =
        sweep.stream()
            .filter(r -> !Double.isNaN(r.vsPeer()))
            .min(Comparator.comparingDouble(SweepResult::vsPeer));
    List<String> missing =
        sweep.stream().filter(r -> Double.isNaN(r.vsPeer())).map(r -> r.point().label()).toList();
    String detail = worst.map(r -> "lowest: " + r.point().label()).orElse("");
    double measured = worst.map(SweepResult::vsPeer).orElse(Double.NaN);
    if (!missing.isEmpty()) {
      // a bound on every point cannot be met by the points PyTorch happened to answer
      detail =
          (worst.isEmpty() ? "" : "lowest measured " + ratio(measured) + ", " + detail + "; ")
              + "no PyTorch time: "
              + String.join(", ", missing);
      measured = Double.NaN;
    }
    return new Round2Target(
        "Sweep: every point, PyTorch / Timestep, 1 thread", false, 1.5, "x", measured, detail);
  }

  private static Round2Target sweepFloor(List<SweepResult> sweep) {
    List<SweepResult> bound = sweep.stream().filter(r -> r.point().computeBound()).toList();
    Optional<SweepResult> worst =
        bound.stream().max(Comparator.comparingDouble(SweepResult::xFloor));
    return new Round2Target(
        "Sweep: every compute-bound point, Timestep / floor, 1 thread",
        true,
        1.5,
        "x",
        worst.map(SweepResult::xFloor).orElse(Double.NaN),
        worst
            .map(
                r ->
                    "highest: "
                        + r.point().label()
                        + " ("
                        + bound.size()
                        + " of "
                        + sweep.size()
                        + " points compute-bound)")
            .orElse(""));
  }

  private static Round2Target largeLstm(Round2Data d) {
    double peer = d.peer() == null ? Double.NaN : d.peer().largeLstmUs(false);
    double ours =
        d.jmh().stream()
            .filter(
                b ->
                    b.benchmark().equals(LargeLstmBenchmark.TRAIN_STEP)
                        && b.param("threads", "0").equals("1"))
            .mapToDouble(BenchResult::medianUs)
            .findFirst()
            .orElse(Double.NaN);
    return new Round2Target(
        "Large LSTM (256/256, batch 64 x 100): PyTorch / Timestep, 1 thread each",
        false,
        1.2,
        "x",
        peer / ours,
        "Timestep " + ReportFormat.micros(ours) + ", PyTorch " + ReportFormat.micros(peer));
  }

  private static Optional<ModelTiming> chapterTiming(Round2Data d, int row) {
    return ModelTiming.from(d.jmh()).stream()
        .filter(t -> t.workload().row() == row && t.threads() == 1 && t.backend().equals("cpu"))
        .findFirst();
  }

  private static Optional<BenchResult> jmh(Round2Data d, String benchmark) {
    return d.jmh().stream()
        .filter(b -> b.benchmark().equals(benchmark) && b.param("threads", "0").equals("1"))
        .findFirst();
  }
}
