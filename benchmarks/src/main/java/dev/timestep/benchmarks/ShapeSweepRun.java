package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the shape sweep: for each point Timestep's training step in this JVM (the caller has set
 * {@code CpuBackend.setThreads(1)}) and PyTorch's in the served peer, alternating which goes first,
 * so slow phases of a shared machine fall on both.
 */
final class ShapeSweepRun {
  private ShapeSweepRun() {}

  /**
   * Measures {@code points}; {@code peer} may be null (then every PyTorch time is NaN). A point the
   * peer fails on keeps a NaN PyTorch time and the sweep goes on.
   */
  static List<SweepResult> run(
      List<ShapePoint> points,
      Backend backend,
      SweepPeer peer,
      SweepTiming timing,
      double fmaGflops1)
      throws IOException {
    List<SweepResult> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      ShapePoint p = points.get(i);
      double peerUs = Double.NaN;
      double ours;
      if (i % 2 == 1 && peer != null) {
        peerUs = peerUs(peer, p);
        ours = timestep(p, backend, timing);
      } else {
        ours = timestep(p, backend, timing);
        peerUs = peer == null ? Double.NaN : peerUs(peer, p);
      }
      SweepResult r = new SweepResult(p, ours, peerUs, p.floorUs(fmaGflops1));
      System.out.printf(
          Locale.ROOT,
          "sweep %2d/%d %-24s Timestep %s  PyTorch %s  (%s PyTorch, %s floor)%n",
          i + 1,
          points.size(),
          p.label(),
          ReportFormat.micros(ours),
          ReportFormat.micros(peerUs),
          ReportFormat.ratio(r.vsPeer()),
          ReportFormat.ratio(r.xFloor()));
      out.add(r);
    }
    return out;
  }

  private static double timestep(ShapePoint p, Backend backend, SweepTiming timing) {
    try (SweepModel model = new SweepModel(p, backend)) {
      return timing.medianUs(model::trainStep);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Timestep failed on sweep point " + p.label(), e);
    }
  }

  private static double peerUs(SweepPeer peer, ShapePoint p) throws IOException {
    try {
      return peer.measure(p);
    } catch (IllegalStateException e) {
      System.out.println("peer: " + e.getMessage());
      return Double.NaN;
    }
  }
}
