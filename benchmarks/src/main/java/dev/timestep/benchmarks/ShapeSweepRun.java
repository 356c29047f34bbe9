package dev.timestep.benchmarks;

import dev.timestep.backend.Backend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Runs the shape sweep: for each point Timestep's training step in this JVM (the caller has set
 * {@code CpuBackend.setThreads(1)}) and PyTorch's in the served peer, alternating which goes first,
 * so slow phases of a shared machine fall on both. A measurement runs the whole sweep in several
 * rounds, each starting with the other side, and keeps each side's median per point: one pass left
 * single points 30-45% off between runs on this machine.
 */
final class ShapeSweepRun {
  private ShapeSweepRun() {}

  /** Rounds over the whole sweep: one for a smoke run. */
  static int rounds(boolean quick) {
    return quick ? 1 : 3;
  }

  /**
   * Measures {@code points} in {@code rounds} rounds (see {@link #runRound}) and returns each
   * side's median per point.
   */
  static List<SweepResult> run(
      List<ShapePoint> points,
      Backend backend,
      SweepPeer peer,
      SweepTiming timing,
      double fmaGflops1,
      int rounds)
      throws IOException {
    List<List<SweepResult>> all = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      System.out.printf(Locale.ROOT, "sweep round %d of %d%n", r + 1, rounds);
      all.add(runRound(points, backend, peer, timing, fmaGflops1, r % 2 == 1));
    }
    return medianOfRounds(all);
  }

  /**
   * Per point, the median of each side over the rounds, and Timestep's fastest and slowest round; a
   * round the peer failed in (NaN) is left out of the peer's median, and a point it never ran keeps
   * NaN.
   *
   * @throws IllegalArgumentException when the rounds did not measure the same points in order
   */
  static List<SweepResult> medianOfRounds(List<List<SweepResult>> rounds) {
    List<SweepResult> first = rounds.get(0);
    List<SweepResult> out = new ArrayList<>();
    for (int i = 0; i < first.size(); i++) {
      ShapePoint p = first.get(i).point();
      List<Double> ours = new ArrayList<>();
      List<Double> peer = new ArrayList<>();
      for (List<SweepResult> round : rounds) {
        SweepResult r = round.size() > i ? round.get(i) : null;
        if (r == null || !r.point().equals(p) || round.size() != first.size()) {
          throw new IllegalArgumentException(
              "sweep rounds measured different points: " + p.label() + " at " + i);
        }
        ours.add(r.timestepUs());
        if (!Double.isNaN(r.peerUs())) {
          peer.add(r.peerUs());
        }
      }
      double peerMedian = peer.isEmpty() ? Double.NaN : SweepTiming.median(peer);
      out.add(
          new SweepResult(
              p,
              SweepTiming.median(ours),
              peerMedian,
              first.get(i).floorUs(),
              Collections.min(ours),
              Collections.max(ours)));
    }
    return out;
  }

  /**
   * Measures {@code points} once; {@code peer} may be null (then every PyTorch time is NaN). A
   * point the peer fails on keeps a NaN PyTorch time and the sweep goes on. Odd points (even ones
   * with {@code peerFirstOnEven}) run PyTorch first.
   */
  private static List<SweepResult> runRound(
      List<ShapePoint> points,
      Backend backend,
      SweepPeer peer,
      SweepTiming timing,
      double fmaGflops1,
      boolean peerFirstOnEven)
      throws IOException {
    List<SweepResult> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      ShapePoint p = points.get(i);
      double peerUs = Double.NaN;
      double ours;
      if (i % 2 == (peerFirstOnEven ? 0 : 1) && peer != null) {
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
