package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeedTableTest {
  private static final String RECURRENT_GPU =
      String.join(
          "\n",
          "torch 2.5.1, device cuda, threads 16",
          "model       | train step us (batch 32 x 50) | inference us (batch 1 x 50)",
          "ln-rnn      |                        3000.0 |                       900.0",
          "lstm        |                        2000.0 |                       400.0",
          "gru         |                        1800.0 |                       380.0");
  private static final String CONV_GPU =
      String.join(
          "\n",
          "torch 2.5.1, device cuda, threads 16",
          "wavenet train step us: 1500.0",
          "wavenet inference 50 steps us: 300.0",
          "convgru train step us: 2500.0",
          "convgru inference 50 steps us: 450.0");
  private static final String LARGE_FP32 =
      "torch 2.5.1, device cuda, threads 16, cuDNN 90100\n" + "large-lstm train step us: 1000.0";
  private static final String LARGE_TF32 =
      "torch 2.5.1, device cuda, threads 16, cuDNN 90100, TF32 allowed\n"
          + "large-lstm-tf32 train step us: 400.0";

  private static BenchResult result(String name, double us, String... kv) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return new BenchResult(name, params, us, Double.NaN);
  }

  private static SpeedTableData data(List<BenchResult> results, PeerTimings peer, String backend) {
    Provenance run =
        new Provenance("2026-11-28", "JVM 25", "abc123", "SpeedTable", "1 fork", "torch 2.5.1");
    return new SpeedTableData(run, "NVIDIA H200", backend, results, peer);
  }

  private static PeerTimings gpuPeer() {
    return new PeerTimings()
        .addRecurrent(RECURRENT_GPU)
        .addConv(CONV_GPU)
        .addLargeLstm(LARGE_FP32)
        .addLargeLstm(LARGE_TF32);
  }

  @Test
  void parsesTheLargeLstmPeerInFloat32AndTf32() {
    PeerTimings p = new PeerTimings().addLargeLstm(LARGE_FP32);
    assertEquals(1000.0, p.largeLstmUs(false));
    assertTrue(Double.isNaN(p.largeLstmUs(true)), "no TF32 run yet");
    p.addLargeLstm(LARGE_TF32);
    assertEquals(400.0, p.largeLstmUs(true));
    assertEquals(1000.0, p.largeLstmUs(false), "the TF32 line does not overwrite the float32 time");
    assertTrue(
        p.versions().contains("torch 2.5.1, device cuda, threads 16, cuDNN 90100"),
        p.versions().toString());
  }

  @Test
  void marksEachTargetMetOrNot() {
    List<BenchResult> results = new ArrayList<>();
    // row 12: 2000/250 = 8x (met), inference 25 µs (met); row 13: 1800/600 = 3x (not met), 45 µs
    // (not met)
    results.add(
        result(
            "ChapterModelBenchmark.trainStep",
            250,
            "backend",
            "cuda",
            "threads",
            "0",
            "row",
            "12"));
    results.add(
        result(
            "ChapterModelBenchmark.inferOne", 25, "backend", "cuda", "threads", "0", "row", "12"));
    results.add(
        result(
            "ChapterModelBenchmark.trainStep",
            600,
            "backend",
            "cuda",
            "threads",
            "0",
            "row",
            "13"));
    results.add(
        result(
            "ChapterModelBenchmark.inferOne", 45, "backend", "cuda", "threads", "0", "row", "13"));
    // large LSTM: 1100 / 1000 = 1.1 (met)
    results.add(result("LargeLstmBenchmark.trainStep", 1100, "backend", "cuda", "threads", "0"));
    String md = SpeedTableMarkdown.render(data(results, gpuPeer(), "cuda"));
    assertTrue(
        md.contains("| 12 | lstm | 250 µs | 2.00 ms | 8.00x | yes | 25 µs | 400 µs | yes |"), md);
    assertTrue(
        md.contains("| 13 | gru | 600 µs | 1.80 ms | 3.00x | **no** | 45 µs | 380 µs | **no** |"),
        md);
    assertTrue(md.contains("| 1.10 ms | 1.00 ms | 1.10x | yes | 400 µs |"), md);
    // rows without a Timestep result show dashes, never a verdict
    assertTrue(md.contains("| 14 | conv-gru | — | 2.50 ms | — | — | — | 450 µs | — |"), md);
    assertFalse(md.contains("rehearsal"), md);
  }

  @Test
  void aSlowLargeLstmFailsItsTarget() {
    List<BenchResult> results =
        List.of(result("LargeLstmBenchmark.trainStep", 1300, "backend", "cuda"));
    String md = SpeedTableMarkdown.render(data(results, gpuPeer(), "cuda"));
    assertTrue(md.contains("| 1.30 ms | 1.00 ms | 1.30x | **no** | 400 µs |"), md);
  }

  @Test
  void aCpuRehearsalSaysSoAndAnEmptyRunSaysWhy() {
    String md = SpeedTableMarkdown.render(data(List.of(), null, "cpu"));
    assertTrue(md.contains("A rehearsal on the cpu backend"), md);
    assertTrue(md.contains("No Timestep benchmark produced a result"), md);
    assertTrue(md.contains("| 15 | wavenet | — | — | — | — | — | — | — |"), md);
  }

  @Test
  void parsesOptionsAndRefusesBadOnes() {
    SpeedTableOptions o = SpeedTableOptions.parse();
    assertEquals("cuda", o.backend());
    assertEquals("cuda", o.peerDevice());
    assertEquals("python3", o.python());
    assertTrue(o.peer());
    SpeedTableOptions cpu =
        SpeedTableOptions.parse(
            "--backend",
            "cpu",
            "--no-peer",
            "--out",
            "/tmp/x",
            "--python",
            "/usr/bin/python3",
            "--commit",
            "abc");
    assertEquals("cpu", cpu.peerDevice());
    assertFalse(cpu.peer());
    assertEquals(Path.of("/tmp/x"), cpu.out());
    assertEquals("abc", cpu.commit());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> SpeedTableOptions.parse("--backend", "reference"));
    assertTrue(bad.getMessage().contains("cuda or cpu"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SpeedTableOptions.parse("--python"));
    assertThrows(IllegalArgumentException.class, () -> SpeedTableOptions.parse("--frobnicate"));
  }

  @Test
  void deviceNamesBecomeSafeFileNames() {
    assertEquals("NVIDIA-H200", SpeedTable.fileSafe("NVIDIA H200"));
    assertEquals("AMD-EPYC-9B14-96-Core", SpeedTable.fileSafe(" AMD EPYC 9B14 96-Core/ "));
    assertEquals("unknown", SpeedTable.fileSafe("///"));
  }

  @Test
  void peerRunnerRefusesAFolderWithoutTheLargeLstmScript() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PeerRunner(Path.of("/nonexistent-peer-dir"), 1.0, "python3"));
    assertTrue(e.getMessage().contains("recurrent_torch.py"), e.getMessage());
  }
}
