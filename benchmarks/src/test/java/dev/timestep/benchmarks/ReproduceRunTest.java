package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a reproduce run's memory is read from: its GC log, NMT's exit statistics, the bound. */
class ReproduceRunTest {
  private static final double MIB = (1 << 20) / 1e6;

  @Test
  void theLiveSetAndTheHeapAreTheLargestAfterAndCommittedOfAnyPause() {
    String log =
        "[0.348s][info][gc] Using G1\n"
            + "[0.348s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 18M->6M(388M)"
            + " 6.009ms\n"
            + "[10.040s][info][gc] GC(5) Pause Young (Normal) (G1 Evacuation Pause)"
            + " 280M->36M(388M) 2.464ms\n"
            + "[15.698s][info][gc] GC(6) Pause Full (System.gc()) 214M->45M(176M) 18.966ms\n"
            + "[16.000s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause)"
            + " 1G->40960K(2G) 1.0ms\n";
    assertArrayEquals(new double[] {45 * MIB, 2048 * MIB}, ReproduceRun.heapAfterGcMb(log), 1e-9);
    double[] none = ReproduceRun.heapAfterGcMb("[0.1s][info][gc] Using G1\n");
    assertTrue(Double.isNaN(none[0]) && Double.isNaN(none[1]));
  }

  @Test
  void theJvmsOwnMemoryIsNmtsCommittedTotalLessTheHeap() {
    String bytes =
        "total 19.6 s on native C++\n"
            + "Total: reserved=1601885542, committed=203924838\n"
            + "-                 Java Heap (reserved=117440512, committed=117440512)\n";
    assertEquals((203924838 - 117440512) / 1e6, ReproduceRun.jvmOverheadMb(bytes), 1e-9);
    String kilobytes =
        "Total: reserved=7856430KB, committed=493618KB\n"
            + "-                 Java Heap (reserved=6172672KB, committed=397312KB)\n";
    assertEquals((493618 - 397312) * 1024 / 1e6, ReproduceRun.jvmOverheadMb(kilobytes), 1e-9);
    assertTrue(Double.isNaN(ReproduceRun.jvmOverheadMb("total 19.6 s\n")));
  }

  @Test
  void theBoundIsTwiceTheLiveSetRoundedUpTo16MiB() {
    assertEquals(96, ReproduceRun.heapBoundMib(48)); // 91.6 MiB
    assertEquals(112, ReproduceRun.heapBoundMib(51)); // 97.3 MiB
    assertEquals(16, ReproduceRun.heapBoundMib(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReproduceRun.heapBoundMib(Double.NaN));
    assertTrue(e.getMessage().contains("measured live set"), e.getMessage());
  }

  @Test
  void theRestIsThePeakLessTheHeapAndTheJvmsOwn() {
    assertEquals(250 - 100.7 - 86, Round2Fixture.bounded().restMb(), 1e-9);
    assertTrue(Double.isNaN(Round2Fixture.withJvmDefaults().restMb()));
    assertEquals("JVM defaults", Round2Fixture.withJvmDefaults().flagsText());
  }
}
