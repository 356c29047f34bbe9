package dev.timestep.benchmarks;

import static dev.timestep.benchmarks.ReportFormat.micros;
import static dev.timestep.benchmarks.ReportFormat.ratio;
import static dev.timestep.benchmarks.ReportFormat.verdict;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Renders a {@link SpeedTableData} as Markdown: one table, each target marked met or not. */
final class SpeedTableMarkdown {
  private SpeedTableMarkdown() {}

  static String render(SpeedTableData d) {
    StringBuilder s = new StringBuilder();
    s.append("# ")
        .append(d.run().date())
        .append(" — Timestep speed table, ")
        .append(d.backend())
        .append(" backend (")
        .append(d.device())
        .append(")\n\n");
    if (!d.backend().equals("cuda")) {
      s.append("**A rehearsal on the ")
          .append(d.backend())
          .append(
              " backend: the targets below are the GPU's; "
                  + "they say nothing about this run.**\n\n");
    }
    d.run().appendTo(s);
    chapterRows(s, d);
    largeLstm(s, d);
    return s.toString();
  }

  private static void chapterRows(StringBuilder s, SpeedTableData d) {
    Map<Integer, ModelTiming> byRow =
        ModelTiming.from(d.results()).stream()
            .filter(t -> t.source().equals("ChapterModel"))
            .collect(Collectors.toMap(t -> t.workload().row(), Function.identity(), (a, b) -> a));
    s.append("## Chapter models (batch 32 x 50 steps; inference: one series of 50 steps)\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "Training step: forward, MSE, backward, Adam; speed-up = PyTorch / Timestep, "
                + "target >= %.0fx. Inference: `predict` of one series, upload and download included, target <= %.0f µs.%n%n",
            SpeedTableData.TRAIN_SPEEDUP_TARGET,
            SpeedTableData.INFERENCE_TARGET_US));
    s.append(
        "| row | model | Timestep step | PyTorch step | speed-up | >= 5x | Timestep inference | "
            + "PyTorch inference | <= 30 µs |\n");
    s.append("|---:|---|---:|---:|---:|---|---:|---:|---|\n");
    for (int row : SpeedTableData.ROWS) {
      ModelTiming t = byRow.get(row);
      double train = t == null ? Double.NaN : t.trainUs();
      double infer = t == null ? Double.NaN : t.inferUs();
      double peerTrain = d.peer() == null ? Double.NaN : d.peer().trainUs(row);
      double peerInfer = d.peer() == null ? Double.NaN : d.peer().inferUs(row);
      double speedup = peerTrain / train;
      s.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              row,
              ChapterWorkload.row(row).model(),
              micros(train),
              micros(peerTrain),
              ratio(speedup),
              verdict(speedup >= SpeedTableData.TRAIN_SPEEDUP_TARGET, speedup),
              micros(infer),
              micros(peerInfer),
              verdict(infer <= SpeedTableData.INFERENCE_TARGET_US, infer)));
    }
    s.append('\n');
  }

  private static void largeLstm(StringBuilder s, SpeedTableData d) {
    double ours = d.largeLstmUs();
    double fp32 = d.peer() == null ? Double.NaN : d.peer().largeLstmUs(false);
    double tf32 = d.peer() == null ? Double.NaN : d.peer().largeLstmUs(true);
    double slower = ours / fp32;
    s.append("## Large LSTM (input 256, hidden 256, batch 64, 100 steps)\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "One training step (forward over every step, MSE, backward, Adam), the same "
                + "work in both. Ratio = Timestep / PyTorch float32 (cuDNN on a GPU); target <= %.1f. The TF32 column lets "
                + "cuDNN use tensor cores with 10-bit-mantissa products: shown for reference, not the target.%n%n",
            SpeedTableData.LARGE_LSTM_RATIO_TARGET));
    s.append("| Timestep | PyTorch float32 | ratio | <= 1.2 | PyTorch TF32 |\n");
    s.append("|---:|---:|---:|---|---:|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s |%n%n",
            micros(ours),
            micros(fp32),
            ratio(slower),
            verdict(slower <= SpeedTableData.LARGE_LSTM_RATIO_TARGET, slower),
            micros(tf32)));
    if (d.results().isEmpty()) {
      s.append("No Timestep benchmark produced a result: see the run's log for the failures.\n");
    }
  }
}
