package dev.timestep.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch peer scripts ({@code benchmarks/peer/*.py}) with one torch thread, as the
 * compare scripts do, and collects their medians.
 */
final class PeerRunner {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long TIMEOUT_MINUTES = 15;
  /** recurrent_torch.py's models for rows 2-5 and 8-13, in table order (rows 14 and 15 are conv_torch.py's). */
  static final String RECURRENT_MODELS =
      "linear-1,simple-rnn,stacked-rnn,deep-rnn,linear,deep-rnn-10,simple,ln-rnn,lstm,gru";

  private final Path peerDir;
  private final double minTimeSeconds;

  PeerRunner(Path peerDir, double minTimeSeconds) {
    if (!Files.isRegularFile(peerDir.resolve("recurrent_torch.py"))) {
      throw new IllegalArgumentException("--peer-dir must hold recurrent_torch.py and conv_torch.py, got " + peerDir);
    }
    this.peerDir = peerDir;
    this.minTimeSeconds = minTimeSeconds;
  }

  /** Whether /usr/bin/python3 exists and imports torch. */
  static boolean torchAvailable() {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs both scripts and parses what they print. */
  PeerTimings run() throws IOException, InterruptedException {
    String minTime = String.valueOf(minTimeSeconds);
    PeerTimings t = new PeerTimings();
    t.addRecurrent(python("recurrent_torch.py", "--threads", "1", "--models", RECURRENT_MODELS, "--min-time", minTime));
    t.addConv(python("conv_torch.py", "--threads", "1", "--min-time", minTime));
    return t;
  }

  private String python(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), peerDir.resolve(script).toString()));
    command.addAll(List.of(args));
    System.out.println("peer: " + String.join(" ", command));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " did not finish within " + TIMEOUT_MINUTES + " minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(script + " failed with exit status " + p.exitValue() + ": " + out.strip());
    }
    System.out.print(out);
    return out;
  }
}
