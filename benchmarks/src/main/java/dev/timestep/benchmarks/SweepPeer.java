package dev.timestep.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code peer/sweep_torch.py --serve} kept running beside the sweep, so that Timestep and PyTorch
 * points alternate in one run (machine noise then hits both alike) without paying torch's start-up
 * per point. One torch thread.
 */
final class SweepPeer implements AutoCloseable {
  static final String SCRIPT = "sweep_torch.py";

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final String version;

  private SweepPeer(Process process) throws IOException {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String first = out.readLine();
    if (first == null || !first.startsWith("torch ")) {
      process.destroyForcibly();
      throw new IOException(SCRIPT + " did not start: " + (first == null ? "no output" : first));
    }
    this.version = first.strip();
  }

  /** Starts the peer with {@code python} from {@code peerDir}, timed by {@code timing}. */
  static SweepPeer start(String python, Path peerDir, SweepTiming timing) throws IOException {
    Path script = peerDir.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("--peer-dir must hold " + SCRIPT + ", got " + peerDir);
    }
    List<String> command =
        new ArrayList<>(List.of(python, script.toString(), "--serve", "--threads", "1"));
    command.addAll(timing.peerArgs());
    return new SweepPeer(oneThread(new ProcessBuilder(command)).redirectErrorStream(true).start());
  }

  /** The peer's first line: torch version, device, threads and BLAS. */
  String version() {
    return version;
  }

  /**
   * Measures one point; returns its median µs.
   *
   * @throws IOException when the peer exits or answers for another point
   * @throws IllegalStateException when the peer reports an error for this point
   */
  double measure(ShapePoint p) throws IOException {
    in.write(p.peerSpec() + "\n");
    in.flush();
    String line;
    while ((line = out.readLine()) != null) {
      SweepPeerLine answer = SweepPeerLine.parse(line);
      if (answer == null) {
        continue; // a warning torch printed
      }
      if (!answer.spec().equals(p.peerSpec())) {
        throw new IOException(
            SCRIPT + " answered '" + answer.spec() + "' for point '" + p.peerSpec() + "'");
      }
      if (answer.failed()) {
        throw new IllegalStateException(SCRIPT + " failed on " + p.label() + ": " + answer.error());
      }
      return answer.us();
    }
    throw new IOException(SCRIPT + " exited before answering " + p.peerSpec());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    in.close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /**
   * Pins the BLAS and OpenMP pools of a peer to one thread as well as torch's own ({@code
   * torch.set_num_threads(1)} sets the latter): thread for thread means one.
   */
  static ProcessBuilder oneThread(ProcessBuilder pb) {
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb;
  }
}
