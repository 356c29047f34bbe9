package dev.timestep.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch peer's medians per chapter row, parsed from the peer scripts' output: {@code
 * recurrent_torch.py} prints {@code kind | train µs | inference µs} rows and {@code conv_torch.py}
 * prints {@code <model> train step us: X} style lines.
 */
final class PeerTimings {
  /** recurrent_torch.py model kinds and the chapter rows they are (rows 2-5 and 8-13). */
  static final Map<String, Integer> RECURRENT_ROWS =
      Map.ofEntries(
          Map.entry("linear-1", 2),
          Map.entry("simple-rnn", 3),
          Map.entry("stacked-rnn", 4),
          Map.entry("deep-rnn", 5),
          Map.entry("linear", 8),
          Map.entry("deep-rnn-10", 9),
          Map.entry("simple", 10),
          Map.entry("ln-rnn", 11),
          Map.entry("lstm", 12),
          Map.entry("gru", 13));

  /** conv_torch.py model names and the chapter rows they are. */
  static final Map<String, Integer> CONV_ROWS = Map.of("wavenet", 15, "convgru", 14);

  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\s*([a-z][a-z0-9-]*)\\s*\\|\\s*([0-9.]+)\\s*\\|\\s*([0-9.]+)\\s*$");
  private static final Pattern CONV_LINE =
      Pattern.compile("^\\s*([a-z]+) (train step|inference (\\d+) steps) us:\\s*([0-9.]+)\\s*$");
  private static final Pattern LARGE_LSTM_LINE =
      Pattern.compile("^\\s*large-lstm(-tf32)? train step us:\\s*([0-9.]+)\\s*$");

  private final Map<Integer, Double> trainUs = new TreeMap<>();
  private final Map<Integer, Double> inferUs = new TreeMap<>();
  private final Map<Integer, Double> longInferUs = new TreeMap<>();
  private final List<String> versions = new ArrayList<>();
  private double largeLstmUs = Double.NaN;
  private double largeLstmTf32Us = Double.NaN;

  /** Adds the rows of {@code recurrent_torch.py}'s output; lines of other shapes are ignored. */
  PeerTimings addRecurrent(String output) {
    for (String line : output.split("\\R")) {
      Matcher m = TABLE_ROW.matcher(line);
      if (m.matches() && RECURRENT_ROWS.containsKey(m.group(1))) {
        int row = RECURRENT_ROWS.get(m.group(1));
        trainUs.put(row, Double.parseDouble(m.group(2)));
        inferUs.put(row, Double.parseDouble(m.group(3)));
      } else {
        noteVersion(line);
      }
    }
    return this;
  }

  /** Adds the lines of {@code conv_torch.py}'s output; lines of other shapes are ignored. */
  PeerTimings addConv(String output) {
    for (String line : output.split("\\R")) {
      Matcher m = CONV_LINE.matcher(line);
      if (m.matches() && CONV_ROWS.containsKey(m.group(1))) {
        int row = CONV_ROWS.get(m.group(1));
        double us = Double.parseDouble(m.group(4));
        if (m.group(3) == null) {
          trainUs.put(row, us);
        } else if (Integer.parseInt(m.group(3)) == ChapterWorkload.STEPS) {
          inferUs.put(row, us);
        } else {
          longInferUs.put(Integer.parseInt(m.group(3)), us);
        }
      } else {
        noteVersion(line);
      }
    }
    return this;
  }

  /** Adds the lines of {@code large_lstm_torch.py}'s output (float32 or TF32 runs). */
  PeerTimings addLargeLstm(String output) {
    for (String line : output.split("\\R")) {
      Matcher m = LARGE_LSTM_LINE.matcher(line);
      if (!m.matches()) {
        noteVersion(line);
      } else if (m.group(1) == null) {
        largeLstmUs = Double.parseDouble(m.group(2));
      } else {
        largeLstmTf32Us = Double.parseDouble(m.group(2));
      }
    }
    return this;
  }

  /**
   * Median µs of the large LSTM's training step (TF32 allowed or not), or NaN when it did not run.
   */
  double largeLstmUs(boolean tf32) {
    return tf32 ? largeLstmTf32Us : largeLstmUs;
  }

  private void noteVersion(String line) {
    if (line.startsWith("torch ") && !versions.contains(line.trim())) {
      versions.add(line.trim());
    }
  }

  /** Median µs of one training step of a row, or NaN when the peer has no such model. */
  double trainUs(int row) {
    return trainUs.getOrDefault(row, Double.NaN);
  }

  /** Median µs of a 50-step forecast of a row, or NaN. */
  double inferUs(int row) {
    return inferUs.getOrDefault(row, Double.NaN);
  }

  /** Median µs of WaveNet inference over one series of {@code steps} steps, or NaN. */
  double waveNetInferUs(int steps) {
    return longInferUs.getOrDefault(steps, Double.NaN);
  }

  /** The scripts' {@code torch <version>, device ..., threads N} lines. */
  List<String> versions() {
    return List.copyOf(versions);
  }

  boolean isEmpty() {
    return trainUs.isEmpty()
        && inferUs.isEmpty()
        && longInferUs.isEmpty()
        && Double.isNaN(largeLstmUs)
        && Double.isNaN(largeLstmTf32Us);
  }
}
