package dev.timestep.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch peer scripts ({@code benchmarks/peer/*.py}) and collects their medians: on the
 * CPU with one torch thread, as the compare scripts do; on a GPU with {@code --device cuda}.
 */
final class PeerRunner {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long TIMEOUT_MINUTES = 15;

  /**
   * recurrent_torch.py's models for rows 2-5 and 8-13, in table order (rows 14 and 15 are
   * conv_torch.py's).
   */
  static final String RECURRENT_MODELS =
      "linear-1,simple-rnn,stacked-rnn,deep-rnn,linear,deep-rnn-10,simple,ln-rnn,lstm,gru";

  /** The recurrent models of the GPU speed table: rows 11-13 (14 and 15 are conv_torch.py's). */
  static final String GPU_RECURRENT_MODELS = "ln-rnn,lstm,gru";

  private final Path peerDir;
  private final double minTimeSeconds;
  private final String python;

  PeerRunner(Path peerDir, double minTimeSeconds) {
    this(peerDir, minTimeSeconds, PYTHON.toString());
  }

  /** Runs the scripts in {@code peerDir} with the given interpreter (a path or a name on PATH). */
  PeerRunner(Path peerDir, double minTimeSeconds, String python) {
    for (String script : List.of("recurrent_torch.py", "conv_torch.py", "large_lstm_torch.py")) {
      if (!Files.isRegularFile(peerDir.resolve(script))) {
        throw new IllegalArgumentException(
            "--peer-dir must hold recurrent_torch.py, conv_torch.py and "
                + "large_lstm_torch.py, got "
                + peerDir
                + " (no "
                + script
                + ")");
      }
    }
    this.peerDir = peerDir;
    this.minTimeSeconds = minTimeSeconds;
    this.python = python;
  }

  /** Whether /usr/bin/python3 exists and imports torch. */
  static boolean torchAvailable() {
    return Files.isExecutable(PYTHON) && torchAvailable(PYTHON.toString());
  }

  /** Whether {@code python} (a path or a name on PATH) starts and imports torch. */
  static boolean torchAvailable(String python) {
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs the recurrent, convolutional and large-LSTM scripts (one torch thread) and parses what
   * they print.
   */
  PeerTimings run() throws IOException, InterruptedException {
    String minTime = String.valueOf(minTimeSeconds);
    PeerTimings t = new PeerTimings();
    t.addRecurrent(
        python(
            "recurrent_torch.py",
            "--threads",
            "1",
            "--models",
            RECURRENT_MODELS,
            "--min-time",
            minTime));
    t.addConv(python("conv_torch.py", "--threads", "1", "--min-time", minTime));
    t.addLargeLstm(python("large_lstm_torch.py", "--threads", "1", "--min-time", minTime));
    return t;
  }

  /**
   * The peers of the GPU speed table on {@code device} (cuda, or cpu to rehearse it with one torch
   * thread): rows 11-15 (training step and one-series inference) and the large LSTM in float32 and,
   * on cuda, also with TF32 allowed for reference. A script that fails is reported in {@code
   * failures} and the others still run.
   */
  PeerTimings runSpeedTable(String device, List<String> failures) throws InterruptedException {
    List<String> common =
        new ArrayList<>(List.of("--device", device, "--min-time", String.valueOf(minTimeSeconds)));
    if (device.equals("cpu")) {
      common.addAll(List.of("--threads", "1"));
    }
    PeerTimings t = new PeerTimings();
    List<String> recurrent = new ArrayList<>(common);
    recurrent.addAll(List.of("--models", GPU_RECURRENT_MODELS));
    collect(() -> t.addRecurrent(python("recurrent_torch.py", recurrent)), failures);
    collect(() -> t.addConv(python("conv_torch.py", common)), failures);
    collect(() -> t.addLargeLstm(python("large_lstm_torch.py", common)), failures);
    if (device.equals("cuda")) {
      List<String> tf32 = new ArrayList<>(common);
      tf32.add("--allow-tf32");
      collect(() -> t.addLargeLstm(python("large_lstm_torch.py", tf32)), failures);
    }
    return t;
  }

  private interface PeerCall {
    void run() throws IOException, InterruptedException;
  }

  private static void collect(PeerCall call, List<String> failures) throws InterruptedException {
    try {
      call.run();
    } catch (IOException | IllegalStateException e) {
      failures.add(e.getMessage());
    }
  }

  private String python(String script, List<String> args) throws IOException, InterruptedException {
    return python(script, args.toArray(String[]::new));
  }

  private String python(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python, peerDir.resolve(script).toString()));
    command.addAll(List.of(args));
    System.out.println("peer: " + String.join(" ", command));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          script + " did not finish within " + TIMEOUT_MINUTES + " minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          script + " failed with exit status " + p.exitValue() + ": " + out.strip());
    }
    System.out.print(out);
    return out;
  }
}
