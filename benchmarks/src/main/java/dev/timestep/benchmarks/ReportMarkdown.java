package dev.timestep.benchmarks;

import static dev.timestep.benchmarks.ReportFormat.micros;
import static dev.timestep.benchmarks.ReportFormat.ratio;
import static dev.timestep.benchmarks.ReportFormat.threads;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link ReportData} as the Markdown report people read. */
final class ReportMarkdown {
  /** Consecutive scaling points whose time per FLOP differs by more than this are flagged. */
  static final double STEP_CHANGE = 1.5;

  private ReportMarkdown() {}

  /**
   * The whole report; {@code chart} and {@code scalingChart} are PNG file names beside it (null:
   * none).
   */
  static String render(ReportData d, String chart, String scalingChart) {
    StringBuilder s = new StringBuilder();
    s.append("# ")
        .append(d.run().date())
        .append(" — Timestep benchmark report (")
        .append(d.host())
        .append(")\n\n");
    s.append("- Machine: ")
        .append(d.cpu())
        .append(", ")
        .append(d.cores())
        .append(" logical CPUs\n");
    d.run().appendTo(s);
    floor(s, d);
    models(s, d);
    longInference(s, d);
    largeLstm(s, d);
    if (chart != null) {
      s.append("![epoch time per model](").append(chart).append(")\n\n");
    }
    scaling(s, d);
    if (scalingChart != null && !d.scaling().isEmpty()) {
      s.append("![time against size, log-log](").append(scalingChart).append(")\n\n");
    }
    others(s, d);
    return s.toString();
  }

  private static void floor(StringBuilder s, ReportData d) {
    s.append("## The floor\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Measured FMA rate (`CpuBackend.fmaPeakGflops`): **%.1f GFLOP/s on 1 thread**, "
                + "**%.1f GFLOP/s on %d threads**. The floor of a piece of work is its FLOP count divided by that rate: "
                + "no implementation on these cores can be faster. FLOPs are counted by `ModelFlops` (a multiply-add is 2; "
                + "training = 3 x forward + MSE + Adam at 10 per parameter; an epoch = %d steps of batch %d x %d).\n\n",
            d.fmaGflops1(),
            d.fmaGflopsAll(),
            d.allThreads(),
            ChapterWorkload.STEPS_PER_EPOCH,
            ChapterWorkload.BATCH,
            ChapterWorkload.STEPS));
  }

  static void models(StringBuilder s, ReportData d) {
    List<ModelTiming> timings = ModelTiming.from(d.results());
    s.append("## Chapter models\n\n");
    if (timings.isEmpty()) {
      s.append("No chapter model was measured in this run.\n\n");
      return;
    }
    s.append(
            "Step: one training step (forward, MSE, backward, Adam) at batch 32 x 50 steps. Epoch: step x ")
        .append(ChapterWorkload.STEPS_PER_EPOCH)
        .append(
            " (7000 series). Inference: one series of 50 steps. "
                + "Speed-up: PyTorch time / Timestep time (PyTorch on 1 thread).\n\n");
    s.append(
        "| row | model | bench | backend | threads | step | epoch | inference | PyTorch step | PyTorch epoch | "
            + "PyTorch inference | speed-up train | speed-up inference |\n");
    s.append("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ModelTiming t : timings) {
      int row = t.workload().row();
      double peerTrain = d.peer() == null ? Double.NaN : d.peer().trainUs(row);
      double peerInfer = d.peer() == null ? Double.NaN : d.peer().inferUs(row);
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
              row,
              t.workload().model(),
              t.source(),
              t.backend(),
              threads(t.threads()),
              micros(t.trainUs()),
              micros(t.epochUs()),
              micros(t.inferUs()),
              micros(peerTrain),
              micros(peerTrain * ChapterWorkload.STEPS_PER_EPOCH),
              micros(peerInfer),
              ratio(peerTrain / t.trainUs()),
              ratio(peerInfer / t.inferUs())));
    }
    s.append("\n### Distance to the floor\n\n");
    s.append(
        "Floor time = FLOPs / measured FMA rate; x floor = measured / floor (1.0 would be the hardware limit).\n\n");
    s.append(
        "| row | model | backend | threads | parameters | MFLOP per step | epoch floor 1 thread | epoch floor all "
            + "threads | epoch x floor (1 thread) | epoch x floor (all) | kFLOP per inference | inference floor 1 thread | "
            + "inference x floor |\n");
    s.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ModelTiming t : timings) {
      ChapterWorkload w = t.workload();
      double epochFloor1 = d.floorSeconds1(w.epochFlops()) * 1e6;
      double epochFloorAll = d.floorSecondsAll(w.epochFlops()) * 1e6;
      double inferFloor1 = d.floorSeconds1(w.inferenceFlops()) * 1e6;
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s | %,d | %.2f | %s | %s | %s | %s | %.1f | %s | %s |\n",
              w.row(),
              w.model(),
              t.backend(),
              threads(t.threads()),
              w.chapterFlops().parameters(),
              w.trainStepFlops() / 1e6,
              micros(epochFloor1),
              micros(epochFloorAll),
              ratio(t.epochUs() / epochFloor1),
              ratio(t.epochUs() / epochFloorAll),
              w.inferenceFlops() / 1e3,
              micros(inferFloor1),
              ratio(t.inferUs() / inferFloor1)));
    }
    s.append('\n');
  }

  static void longInference(StringBuilder s, ReportData d) {
    for (BenchResult r : d.results()) {
      if (!r.benchmark().equals("ConvBenchmark.waveNetInfer16k")) {
        continue;
      }
      double flops = ChapterWorkload.row(15).flops().apply(16_000).inferenceFlops();
      double peer = d.peer() == null ? Double.NaN : d.peer().waveNetInferUs(16_000);
      s.append(
          String.format(
              Locale.ROOT,
              "WaveNet inference on one series of 16,000 steps (%s, threads %s): %s; "
                  + "PyTorch %s (speed-up %s); floor %s on 1 thread (x floor %s).\n\n",
              r.param("backend", "cpu"),
              threads(Integer.parseInt(r.param("threads", "0"))),
              micros(r.medianUs()),
              micros(peer),
              ratio(peer / r.medianUs()),
              micros(d.floorSeconds1(flops) * 1e6),
              ratio(r.medianUs() / (d.floorSeconds1(flops) * 1e6))));
    }
  }

  static void largeLstm(StringBuilder s, ReportData d) {
    List<BenchResult> runs =
        d.results().stream()
            .filter(r -> r.benchmark().equals(LargeLstmBenchmark.TRAIN_STEP))
            .toList();
    if (runs.isEmpty()) {
      return;
    }
    double flops = LargeLstmBenchmark.trainStepFlops();
    double peer = d.peer() == null ? Double.NaN : d.peer().largeLstmUs(false);
    s.append("## Large LSTM\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "One training step of LSTM(%d) over %d inputs, batch %d, %d steps, every step's "
                + "output (forward, MSE, backward without the input gradient, Adam): %.1f GFLOP. Here the products are large "
                + "enough for GEMM speed, not latency, to decide. PyTorch on 1 thread: %s.%n%n",
            LargeLstmBenchmark.UNITS,
            LargeLstmBenchmark.FEATURES,
            LargeLstmBenchmark.BATCH,
            LargeLstmBenchmark.STEPS,
            flops / 1e9,
            micros(peer)));
    s.append(
        "| backend | threads | step | GFLOP/s | x floor (those threads) | PyTorch (1 thread) / Timestep |\n");
    s.append("|---|---:|---:|---:|---:|---:|\n");
    for (BenchResult r : runs) {
      int threads = Integer.parseInt(r.param("threads", "0"));
      double floorUs = (threads == 1 ? d.floorSeconds1(flops) : d.floorSecondsAll(flops)) * 1e6;
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.1f | %s | %s |%n",
              r.param("backend", "cpu"),
              threads(threads),
              micros(r.medianUs()),
              flops / (r.medianUs() * 1e3),
              ratio(r.medianUs() / floorUs),
              ratio(peer / r.medianUs())));
    }
    s.append('\n');
  }

  private static void scaling(StringBuilder s, ReportData d) {
    if (d.scaling().isEmpty()) {
      return;
    }
    s.append("## Scaling\n\n");
    s.append(
        "One size grows, the others stay at the chapter's (batch 32, 50 steps, 20 units; cpu backend, every "
            + "thread). LSTM: one training step of LSTM(h) x2 -> TD(Dense(10)). WaveNet: inference on one series. "
            + "ns/kFLOP is time per unit of work: flat means time grows with the work; a change of more than "
            + STEP_CHANGE
            + "x between neighbours is flagged as a step.\n\n");
    s.append(
        "| sweep | size | time | MFLOP | GFLOP/s | ns/kFLOP | weights KiB | x floor (all threads) | step |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (ScalingSweep sweep : ScalingSweep.all()) {
      double previous = Double.NaN;
      for (ScalingPoint p : ScalingPoint.of(sweep, d.scaling())) {
        double nsPerKflop = p.us() * 1e3 / (p.flops() / 1e3);
        double change = nsPerKflop / previous;
        String step =
            change > STEP_CHANGE || change < 1 / STEP_CHANGE
                ? String.format(Locale.ROOT, "%.1fx per FLOP", change)
                : "";
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.2f | %.2f | %.3f | %.1f | %s | %s |\n",
                sweep.name(),
                p.size(),
                micros(p.us()),
                p.flops() / 1e6,
                p.flops() / (p.us() * 1e3),
                nsPerKflop,
                sweep.weightBytes().applyAsLong(p.size()) / 1024.0,
                ratio(p.us() / (d.floorSecondsAll(p.flops()) * 1e6)),
                step));
        previous = nsPerKflop;
      }
    }
    s.append("\n### What shapes these curves\n\n");
    for (ScalingSweep sweep : ScalingSweep.all()) {
      s.append("- **").append(sweep.name()).append("**: ").append(sweep.shape()).append('\n');
    }
    s.append('\n');
  }

  private static void others(StringBuilder s, ReportData d) {
    List<BenchResult> rest = new ArrayList<>();
    for (BenchResult r : d.results()) {
      if (ModelTiming.rowOf(r) == null
          && !r.benchmark().equals("ConvBenchmark.waveNetInfer16k")
          && !r.benchmark().equals(LargeLstmBenchmark.TRAIN_STEP)) {
        rest.add(r);
      }
    }
    if (rest.isEmpty()) {
      return;
    }
    s.append("## Other benchmarks\n\n| benchmark | parameters | median |\n|---|---|---:|\n");
    for (BenchResult r : rest) {
      s.append("| ")
          .append(r.benchmark())
          .append(" | ")
          .append(r.paramText())
          .append(" | ")
          .append(micros(r.medianUs()))
          .append(" |\n");
    }
    s.append('\n');
  }
}
