package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.benchmarks.Round2Target.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class Round2TargetsTest {
  @Test
  void aBoundIsMetOnItsValueAndNotBeyond() {
    assertEquals(Status.MET, new Round2Target("t", true, 10, "s", 10, "").status());
    assertEquals(Status.MET, new Round2Target("t", true, 10, "s", 9.9, "").status());
    assertEquals(Status.NOT_MET, new Round2Target("t", true, 10, "s", 10.01, "").status());
    assertEquals(Status.MET, new Round2Target("t", false, 1.5, "x", 1.5, "").status());
    assertEquals(Status.NOT_MET, new Round2Target("t", false, 1.5, "x", 1.49, "").status());
    assertEquals(
        Status.NOT_MEASURED, new Round2Target("t", false, 1.5, "x", Double.NaN, "").status());
    assertEquals("≤ 0.15 s", new Round2Target("t", true, 0.15, "s", 0, "").bound());
    assertEquals("≥ 20 x", new Round2Target("t", false, 20, "x", 0, "").bound());
    assertEquals("1.23", Round2Target.number(1.2345));
    assertEquals("2600", Round2Target.number(2600.4));
  }

  @Test
  void everyTargetOfTheIssueIsJudgedOnFixedResults() {
    List<Round2Target> t = Round2Targets.of(Round2Fixture.data(false));
    assertEquals(10, t.size());
    // epoch 0.12 s <= 0.15 s; 2.6 / 0.12 = 21.7x >= 20x
    assertEquals(0.12, t.get(0).measured(), 1e-12);
    assertEquals(Status.MET, t.get(0).status());
    assertEquals(2.6 / 0.12, t.get(1).measured(), 1e-9);
    assertEquals(Status.MET, t.get(1).status());
    // every recurrent row at 20x but row 11 at 10x; row 14 from conv_torch at 18000 / 900 = 20x
    assertEquals(10, t.get(2).measured(), 1e-9);
    assertEquals(Status.NOT_MET, t.get(2).status());
    assertTrue(t.get(2).detail().contains("row 11 (ln-rnn)"), t.get(2).detail());
    // reproduce: 12 s > 10 s; the bounded run's 250 MB <= 300 MB decides, not the default's 420
    assertEquals(Status.NOT_MET, t.get(3).status());
    assertEquals(250, t.get(4).measured(), 1e-12);
    assertEquals(Status.MET, t.get(4).status());
    // sweep: lowest speed-up 1.2x (the GRU) < 1.5x
    assertEquals(1.2, t.get(5).measured(), 1e-9);
    assertEquals(Status.NOT_MET, t.get(5).status());
    assertTrue(t.get(5).detail().contains("GRU u256 t50 b32"), t.get(5).detail());
    // large LSTM 195 / 150 = 1.3x >= 1.2x
    assertEquals(1.3, t.get(6).measured(), 1e-9);
    assertEquals(Status.MET, t.get(6).status());
    // floor: the batch-1 point at 40x is not compute-bound; the GRU's 1.6x decides
    assertEquals(1.6, t.get(7).measured(), 1e-9);
    assertEquals(Status.NOT_MET, t.get(7).status());
    assertTrue(t.get(7).detail().contains("2 of 3 points"), t.get(7).detail());
    // inference 12 us > 10 us; WaveNet 16k 1.8 ms <= 2 ms
    assertEquals(Status.NOT_MET, t.get(8).status());
    assertEquals(1.8, t.get(9).measured(), 1e-12);
    assertEquals(Status.MET, t.get(9).status());
  }

  @Test
  void whatDidNotRunIsNotMeasuredRatherThanMet() {
    Round2Data full = Round2Fixture.data(false);
    Round2Data bare =
        new Round2Data(
            full.date(),
            full.host(),
            full.cpu(),
            full.cores(),
            full.java(),
            full.commit(),
            full.command(),
            false,
            full.loadBefore(),
            full.loadAfter(),
            full.fmaGflops1(),
            full.jmhSettings(),
            "not run",
            List.of(),
            Double.NaN,
            Double.NaN,
            List.of(),
            null,
            null,
            List.of());
    for (Round2Target t : Round2Targets.of(bare)) {
      assertEquals(Status.NOT_MEASURED, t.status(), t.name());
    }
  }

  @Test
  void aMissingRecurrentRowLeavesTheEveryRowTargetUnmeasured() {
    Round2Data full = Round2Fixture.data(false);
    List<BenchResult> withoutRow13 =
        full.jmh().stream().filter(b -> !b.param("row", "").equals("13")).toList();
    Round2Data d =
        new Round2Data(
            full.date(),
            full.host(),
            full.cpu(),
            full.cores(),
            full.java(),
            full.commit(),
            full.command(),
            false,
            full.loadBefore(),
            full.loadAfter(),
            full.fmaGflops1(),
            full.jmhSettings(),
            full.peerVersion(),
            full.sweep(),
            full.epochUs(),
            full.epochPeerUs(),
            withoutRow13,
            full.peer(),
            full.reproduce(),
            full.notes());
    Round2Target rows = Round2Targets.of(d).get(2);
    assertEquals(Status.NOT_MEASURED, rows.status());
    assertTrue(rows.detail().contains("lowest measured 10.0x"), rows.detail());
    assertTrue(rows.detail().endsWith("not measured: rows [13]"), rows.detail());
  }

  @Test
  void aSweepPointWithoutPyTorchLeavesTheEveryPointTargetUnmeasured() {
    Round2Data full = Round2Fixture.data(false);
    List<SweepResult> sweep = new java.util.ArrayList<>(full.sweep());
    SweepResult first = sweep.get(0);
    sweep.set(0, new SweepResult(first.point(), first.timestepUs(), Double.NaN, first.floorUs()));
    Round2Data d =
        new Round2Data(
            full.date(),
            full.host(),
            full.cpu(),
            full.cores(),
            full.java(),
            full.commit(),
            full.command(),
            false,
            full.loadBefore(),
            full.loadAfter(),
            full.fmaGflops1(),
            full.jmhSettings(),
            full.peerVersion(),
            sweep,
            full.epochUs(),
            full.epochPeerUs(),
            full.jmh(),
            full.peer(),
            full.reproduce(),
            full.notes());
    Round2Target t = Round2Targets.of(d).get(5);
    assertEquals(Status.NOT_MEASURED, t.status());
    assertTrue(t.detail().contains("lowest measured 1.20x"), t.detail());
    assertTrue(t.detail().endsWith("no PyTorch time: LSTM u64 t50 b1"), t.detail());
  }

  @Test
  void theBoundedHeapRunDecidesThePeakRssAndTheDetailKeepsTheDefaultRun() {
    Round2Target rss = Round2Targets.peakRss(Round2Fixture.data(false).reproduce());
    assertEquals(250, rss.measured(), 1e-12);
    assertEquals(
        "decided by the run with `-Xmx96m` (2 x the live set of 48 MB); with JVM defaults 420 MB, "
            + "a heap of 388 MB held for that live set; /usr/bin/time -v",
        rss.detail());
  }

  @Test
  void withoutABoundedRunTheDefaultRunDecidesThePeakRss() {
    Round2Target rss = Round2Targets.peakRss(Round2Fixture.withJvmDefaults());
    assertEquals(420, rss.measured(), 1e-12);
    assertEquals(Status.NOT_MET, rss.status());
    assertEquals("/usr/bin/time -v", rss.detail());
    assertEquals(Status.NOT_MEASURED, Round2Targets.peakRss(null).status());
  }
}
