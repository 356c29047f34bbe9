package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SweepPeerLineTest {
  @Test
  void parsesAPointLine() {
    SweepPeerLine l = SweepPeerLine.parse("point lstm 64 100 64 us 161813.2 runs 5\n");
    assertEquals("lstm 64 100 64", l.spec());
    assertEquals(161813.2, l.us());
    assertEquals(5, l.runs());
    assertFalse(l.failed());
    assertEquals(1.5e7, SweepPeerLine.parse("point gru 512 1000 512 us 1.5e7 runs 3").us());
  }

  @Test
  void parsesAnErrorLineAndSkipsOthers() {
    SweepPeerLine e =
        SweepPeerLine.parse("error wavenet 8 1 1: cell must be one of lstm, gru, rnn, wavenet");
    assertTrue(e.failed());
    assertEquals("wavenet 8 1 1", e.spec());
    assertTrue(Double.isNaN(e.us()));
    assertEquals("cell must be one of lstm, gru, rnn, wavenet", e.error());
    assertNull(SweepPeerLine.parse("torch 1.13.0a0, device cpu, threads 1, blas generic"));
    assertNull(SweepPeerLine.parse("point lstm 64 us 12 runs 3")); // a point has four fields
    assertNull(SweepPeerLine.parse("UserWarning: something"));
  }

  @Test
  void readsTheEpochPeersMedian() {
    String out =
        "torch 1.13.0a0, device cpu, threads 1\ntimed epoch us: 2700000.0\n"
            + "timed epoch us: 2600000.0\nepoch us: 2650000.0\n";
    assertEquals(2650000.0, ChapterEpoch.parsePeer(out));
    assertTrue(Double.isNaN(ChapterEpoch.parsePeer("torch 1.13.0a0\n")));
  }

  @Test
  void readsPeakRssAndTheReproduceTotal() {
    String time =
        "\tCommand being timed: \"java -jar timestep.jar reproduce\"\n"
            + "\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:21.30\n"
            + "\tMaximum resident set size (kbytes): 287512\n"
            + "\tAverage resident set size (kbytes): 0\n";
    assertEquals(287512L, ReproduceRun.maxRssKb(time).getAsLong());
    assertTrue(ReproduceRun.maxRssKb("nothing").isEmpty());
    String reproduce =
        "16   10 steps  extra: ...   val last-step mse 0.01777 0.01640 +8.3% 3.3\n"
            + "total 19.8 s on native C++ (libtimestep_cpu, amd64, 2 cores, 2 kernel threads); 2 rows\n";
    assertEquals(19.8, ReproduceRun.total(reproduce));
    assertTrue(Double.isNaN(ReproduceRun.total("no total here")));
  }

  @Test
  void theRealPeerAnswersInTheParsedFormat() throws Exception {
    Assumptions.assumeTrue(PeerRunner.torchAvailable(), "no /usr/bin/python3 with torch here");
    SweepTiming tiny = new SweepTiming(1, 3, 0, 0);
    try (SweepPeer peer = SweepPeer.start(PeerRunner.PYTHON.toString(), Path.of("peer"), tiny)) {
      assertTrue(peer.version().startsWith("torch "), peer.version());
      for (ShapePoint p :
          List.of(
              new ShapePoint(ShapeCell.SIMPLE_RNN, "t", 3, 4, 2),
              new ShapePoint(ShapeCell.WAVENET, "t", 2, 5, 1))) {
        assertTrue(peer.measure(p) > 0, p.label());
      }
    }
  }
}
