package dev.timestep.benchmarks;

import static dev.timestep.benchmarks.ReportFormat.micros;
import static dev.timestep.benchmarks.ReportFormat.ratio;

import java.util.Locale;

/** Renders a {@link Round2Data} as the round-2 Markdown report. */
final class Round2Markdown {
  private Round2Markdown() {}

  /** The whole report; {@code chart} is the sweep chart's PNG file name beside it (null: none). */
  static String render(Round2Data d, String chart) {
    StringBuilder s = new StringBuilder();
    s.append("# ")
        .append(d.date())
        .append(" — CPU speed, round 2 (")
        .append(d.host())
        .append(")\n\n");
    if (d.quick()) {
      s.append(
          "> **--quick smoke run: NOT a measurement.** Few sweep points, capped timings, short JMH "
              + "iterations and a cut-down `reproduce`; it checks that the report is produced.\n\n");
    }
    s.append("- Machine: ")
        .append(d.cpu())
        .append(", ")
        .append(d.cores())
        .append(" logical CPUs\n");
    s.append("- Java: ").append(d.java()).append("; commit ").append(d.commit()).append('\n');
    s.append("- Command: `").append(d.command()).append("`\n");
    s.append("- Load average (1, 5, 15 min): before ")
        .append(d.loadBefore())
        .append(", after ")
        .append(d.loadAfter())
        .append('\n');
    s.append(
        String.format(
            Locale.ROOT,
            "- FMA peak, 1 thread (`CpuBackend.fmaPeakGflops`): %.1f GFLOP/s; every floor below "
                + "is FLOPs at this rate\n",
            d.fmaGflops1()));
    s.append("- PyTorch: ").append(d.peerVersion()).append('\n');
    if (d.peer() != null && !d.peer().versions().isEmpty()) {
      s.append("- Chapter peers: ").append(String.join("; ", d.peer().versions())).append('\n');
    }
    s.append("- JMH (chapter models, WaveNet 16k, large LSTM): ")
        .append(d.jmhSettings())
        .append("\n\n");
    targets(s, d);
    sweep(s, d, chart);
    epoch(s, d);
    ReportData rd = d.asReportData();
    ReportMarkdown.models(s, rd);
    ReportMarkdown.longInference(s, rd);
    ReportMarkdown.largeLstm(s, rd);
    reproduce(s, d);
    if (!d.notes().isEmpty()) {
      s.append("## Notes\n\n");
      d.notes().forEach(n -> s.append("- ").append(n).append('\n'));
      s.append('\n');
    }
    return s.toString();
  }

  static void targets(StringBuilder s, Round2Data d) {
    s.append("## Targets\n\n| target | bound | measured | status | decided by |\n");
    s.append("|---|---:|---:|---|---|\n");
    for (Round2Target t : Round2Targets.of(d)) {
      s.append("| ")
          .append(t.name())
          .append(" | ")
          .append(t.bound())
          .append(" | ")
          .append(
              Double.isNaN(t.measured()) ? "—" : Round2Target.number(t.measured()) + " " + t.unit())
          .append(" | ")
          .append(t.status().text)
          .append(" | ")
          .append(t.detail())
          .append(" |\n");
    }
    s.append('\n');
  }

  /** How the sweep's rounds make its times, in words (nothing for a single round). */
  static String rounds(int rounds) {
    return rounds == 1
        ? ""
        : ", over "
            + rounds
            + " rounds of the whole sweep (each round starting each point with the other side);"
            + " each time below is the median of its side's "
            + rounds
            + " rounds, which the targets go by; Timestep's fastest and slowest round are beside it,"
            + " since this VM's memory bandwidth varies from minute to minute";
  }

  static void sweep(StringBuilder s, Round2Data d, String chart) {
    SweepTiming t = d.quick() ? SweepTiming.quick() : SweepTiming.standard();
    String timing =
        String.format(
            Locale.ROOT,
            "up to %d warm-up calls, then at least %d calls and %.1f s, capped at %.1f s once 3 calls ran",
            t.warmups(),
            t.minRuns(),
            t.minSeconds(),
            t.maxSeconds());
    s.append("## Shape sweep\n\n");
    s.append(
        "One training step (forward, MSE, backward, Adam) per call, Timestep with "
            + "`CpuBackend.setThreads(1)` and PyTorch with `torch.set_num_threads(1)` (and OpenBLAS's pool "
            + "at one thread), measured in this run point by point, alternating which goes first"
            + rounds(ShapeSweepRun.rounds(d.quick()))
            + ". Recurrent cells: two layers of u units over "
            + ShapePoint.RECURRENT_FEATURES
            + " features, every step returned, then TimeDistributed(Dense(1)). WaveNet: the chapter's "
            + "(8 causal dilated Conv1D(c, 2, relu), rates 1-8 twice, then Conv1D(10, 1)) with c channels. "
            + "Each time is the median of the timed calls after warm-up (`SweepTiming`: "
            + timing
            + "). Floor: the step's FLOPs (`ModelFlops`, less the first "
            + "layer's input gradient, which neither side computes) at the one-thread FMA peak.\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "**Compute-bound** (the floor is held as a target): the largest piece of work that must run by "
                + "itself — one layer's recurrent product at one step (2·batch·u·gates·u FLOP, it waits for "
                + "the step before), or one WaveNet convolution over the whole batch — has at least %.0f "
                + "MFLOP (about 10 µs at one core's peak, ten times a step's fixed costs) and at least "
                + "%.0f FLOP per byte it must read or write (the recurrent weights, the step's input state and "
                + "its gates; the convolution's input, output and kernel). Below either, latency or memory bounds the time; the floor is still "
                + "shown.\n\n",
            ShapePoint.MIN_SERIAL_FLOPS / 1e6,
            ShapePoint.MIN_FLOPS_PER_BYTE));
    s.append(
        "| cell | axis | units / channels | steps | batch | MFLOP | Timestep | Timestep's rounds, "
            + "fastest - slowest | PyTorch | PyTorch / Timestep | floor | x floor | x floor, fastest "
            + "round | compute-bound |\n");
    s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (SweepResult r : d.sweep()) {
      ShapePoint p = r.point();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %d | %.2f | %s | %s - %s | %s | %s | %s | %s | %s | %s |\n",
              p.cell().label,
              p.axis(),
              p.width(),
              p.steps(),
              p.batch(),
              p.trainStepFlops() / 1e6,
              micros(r.timestepUs()),
              micros(r.fastestUs()),
              micros(r.slowestUs()),
              micros(r.peerUs()),
              ratio(r.vsPeer()),
              micros(r.floorUs()),
              ratio(r.xFloor()),
              ratio(r.fastestUs() / r.floorUs()),
              p.computeBound() ? "yes" : "no"));
    }
    s.append('\n');
    if (chart != null) {
      s.append("![sweep: PyTorch / Timestep and Timestep / floor per point, log axis](")
          .append(chart)
          .append(")\n\n");
    }
  }

  static void epoch(StringBuilder s, Round2Data d) {
    s.append("## Chapter LSTM epoch with validation\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "LSTM(20) x2 -> TimeDistributed(Dense(10)) (row 12), one `fit` epoch over %,d series of %d "
                + "steps in batches of %d (%d steps) plus the validation loss over %,d series; median of "
                + "timed epochs after one untimed. PyTorch: `peer/%s`, the same epoch. One thread each.\n\n",
            ChapterEpoch.TRAIN,
            ChapterWorkload.STEPS,
            ChapterWorkload.BATCH,
            ChapterWorkload.STEPS_PER_EPOCH,
            ChapterEpoch.VALID,
            ChapterEpoch.PEER_SCRIPT));
    s.append(
        String.format(
            Locale.ROOT,
            "| Timestep | PyTorch | PyTorch / Timestep |\n|---:|---:|---:|\n| %s | %s | %s |\n\n",
            micros(d.epochUs()),
            micros(d.epochPeerUs()),
            ratio(d.epochPeerUs() / d.epochUs())));
  }

  static void reproduce(StringBuilder s, Round2Data d) {
    s.append("## Whole chapter\n\n");
    ReproduceRun r = d.reproduce();
    if (r == null) {
      s.append("`reproduce` did not run (see the notes).\n\n");
      return;
    }
    s.append(
        String.format(
            Locale.ROOT,
            "`java -jar timestep.jar %s` in a child JVM (its defaults: every core): total line "
                + "%s s, process wall %s s (JVM start-up included), peak RSS %s MB (%s).\n\n",
            r.commandLine(),
            Round2Target.number(r.totalSeconds()),
            Round2Target.number(r.wallSeconds()),
            Round2Target.number(r.peakRssMb()),
            r.rssSource()));
    ReproduceRun b = r.bounded();
    if (b == null) {
      return;
    }
    s.append(
        String.format(
            Locale.ROOT,
            "Again with the heap bounded to %s x the live set the first run measured (`java %s -jar"
                + " timestep.jar %s`): total line %s s, peak RSS %s MB. Both runs log their collections to a"
                + " file, where the live set and the heap held are read; the JVM's own memory is"
                + " what Native Memory Tracking counts at exit outside the heap; the rest of the"
                + " peak is native tensors, malloc's arenas and the shared libraries.\n\n",
            Round2Target.number(ReproduceRun.HEAP_PER_LIVE),
            b.flagsText(),
            b.commandLine(),
            Round2Target.number(b.totalSeconds()),
            Round2Target.number(b.peakRssMb())));
    s.append(
        "| Run | Total line | Peak RSS | Live set (largest heap after a GC) | Heap held | JVM's own"
            + " | The rest |\n|---|---:|---:|---:|---:|---:|---:|\n");
    memoryRow(s, r);
    memoryRow(s, b);
    s.append('\n');
  }

  private static void memoryRow(StringBuilder s, ReproduceRun r) {
    s.append(
        String.format(
            Locale.ROOT,
            "| %s | %s s | %s MB | %s MB | %s MB | %s | %s |\n",
            r.flagsText(),
            Round2Target.number(r.totalSeconds()),
            Round2Target.number(r.peakRssMb()),
            Round2Target.number(r.liveSetMb()),
            Round2Target.number(r.heapMb()),
            mbOrDash(r.jvmOverheadMb()),
            mbOrDash(r.restMb())));
  }

  private static String mbOrDash(double mb) {
    return Double.isNaN(mb) ? "—" : Round2Target.number(mb) + " MB";
  }
}
