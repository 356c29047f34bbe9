package dev.timestep.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportFormatTest {
  private static final String RECURRENT_OUT =
      String.join(
          "\n",
          "torch 1.13.0, device cpu, threads 1",
          "model  | train step us (batch 32 x 50) | inference us (batch 1 x 50)",
          "simple |                       12000.5 |                       300.0",
          "lstm   |                       40000.0 |                       900.0",
          "linear |                         150.0 |                        30.0");
  private static final String CONV_OUT =
      String.join(
          "\n",
          "torch 1.13.0, device cpu, threads 1",
          "wavenet train step us: 10500.0",
          "wavenet inference 50 steps us: 400.0",
          "wavenet inference 16000 steps us: 52000.0",
          "convgru train step us: 30000.0",
          "convgru inference 50 steps us: 700.0");

  private static BenchResult result(String name, double us, String... kv) {
    Map<String, String> params = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return new BenchResult(name, params, us, Double.NaN);
  }

  private static ReportData data(
      List<BenchResult> results, List<BenchResult> scaling, PeerTimings peer) {
    Provenance run =
        new Provenance(
            "2026-11-28", "JVM 17", "abc123", "BenchReport --quick", "1 fork", "torch 1.13.0");
    return new ReportData(run, "box", "Test CPU", 2, 100, 180, 2, results, scaling, peer);
  }

  @Test
  void parsesBothPeerScriptsIntoChapterRows() {
    PeerTimings p = new PeerTimings().addRecurrent(RECURRENT_OUT).addConv(CONV_OUT);
    assertEquals(40000.0, p.trainUs(12));
    assertEquals(900.0, p.inferUs(12));
    assertEquals(12000.5, p.trainUs(10));
    assertEquals(150.0, p.trainUs(8));
    assertEquals(10500.0, p.trainUs(15));
    assertEquals(400.0, p.inferUs(15));
    assertEquals(30000.0, p.trainUs(14));
    assertEquals(700.0, p.inferUs(14));
    assertEquals(52000.0, p.waveNetInferUs(16_000));
    assertTrue(Double.isNaN(p.trainUs(13)), "gru was not in the output");
    assertEquals(List.of("torch 1.13.0, device cpu, threads 1"), p.versions());
  }

  @Test
  void parsesTheVectorOutputAndLayerNormRowsUnderTheirOwnNames() {
    String out =
        String.join(
            "\n",
            "torch 1.13.0, device cpu, threads 1",
            "model       | train step us (batch 32 x 50) | inference us (batch 1 x 50)",
            "linear-1    |                         110.0 |                        12.5",
            "linear      |                         130.0 |                        13.0",
            "simple-rnn  |                        1500.0 |                       200.0",
            "stacked-rnn |                        5100.0 |                       620.0",
            "deep-rnn    |                        3600.0 |                       424.0",
            "deep-rnn-10 |                        3530.0 |                       425.0",
            "simple      |                        3780.0 |                       420.0",
            "ln-rnn      |                       10600.0 |                      1580.0",
            "rnn-mystery |                          99.0 |                        9.0");
    PeerTimings p = new PeerTimings().addRecurrent(out);
    // linear-1 (horizon 1) is row 2 and does not overwrite linear's row 8
    assertEquals(110.0, p.trainUs(2));
    assertEquals(12.5, p.inferUs(2));
    assertEquals(130.0, p.trainUs(8));
    assertEquals(13.0, p.inferUs(8));
    assertEquals(1500.0, p.trainUs(3));
    assertEquals(200.0, p.inferUs(3));
    assertEquals(5100.0, p.trainUs(4));
    assertEquals(3600.0, p.trainUs(5));
    assertEquals(424.0, p.inferUs(5));
    // deep-rnn-10 is row 9, not a second deep-rnn row 5; simple (seq-to-seq) stays row 10
    assertEquals(3530.0, p.trainUs(9));
    assertEquals(425.0, p.inferUs(9));
    assertEquals(3780.0, p.trainUs(10));
    assertEquals(10600.0, p.trainUs(11));
    assertEquals(1580.0, p.inferUs(11));
    assertTrue(Double.isNaN(p.trainUs(99)), "a row without a peer model is NaN");
  }

  @Test
  void peerRunnerAsksForAModelOfEveryRecurrentRow() {
    java.util.Set<Integer> rows = new java.util.TreeSet<>();
    for (String model : PeerRunner.RECURRENT_MODELS.split(",")) {
      assertTrue(PeerTimings.RECURRENT_ROWS.containsKey(model), model + " has no chapter row");
      rows.add(PeerTimings.RECURRENT_ROWS.get(model));
    }
    rows.addAll(PeerTimings.CONV_ROWS.values());
    java.util.Set<Integer> trainable = new java.util.TreeSet<>();
    ChapterWorkload.all().forEach(w -> trainable.add(w.row()));
    assertTrue(trainable.contains(2), "row 2 (Flatten -> Dense(1)) is a trainable workload");
    assertEquals(trainable, rows);
  }

  @Test
  void newPeerRowsFillTheModelTable() {
    List<BenchResult> results =
        List.of(
            result(
                "ChapterModelBenchmark.trainStep",
                400,
                "backend",
                "cpu",
                "threads",
                "0",
                "row",
                "9"),
            result(
                "ChapterModelBenchmark.inferOne",
                10,
                "backend",
                "cpu",
                "threads",
                "0",
                "row",
                "9"));
    PeerTimings peer = new PeerTimings().addRecurrent("deep-rnn-10 | 3500.0 | 425.0");
    String md = ReportMarkdown.render(data(results, List.of(), peer), null, null);
    // 219 x 0.4 ms = 87.6 ms and 219 x 3.5 ms = 767 ms per epoch; 3500/400 = 8.75x, 425/10 = 42.5x
    assertTrue(
        md.contains(
            "| 9 | deep-rnn | ChapterModel | cpu | all | 400 µs | 87.6 ms | 10 µs | 3.50 ms | 767 ms | "
                + "425 µs | 8.75x | 42.5x |"),
        md);
  }

  @Test
  void modelTableShowsStepEpochInferenceSpeedUpAndFloor() {
    List<BenchResult> results =
        List.of(
            result(
                "ChapterModelBenchmark.trainStep",
                1000,
                "backend",
                "cpu",
                "threads",
                "0",
                "row",
                "12"),
            result(
                "ChapterModelBenchmark.inferOne",
                20,
                "backend",
                "cpu",
                "threads",
                "0",
                "row",
                "12"),
            result("DenseBenchmark.step", 5.5, "backend", "cpu", "size", "chapter", "units", "1"));
    String md =
        ReportMarkdown.render(
            data(results, List.of(), new PeerTimings().addRecurrent(RECURRENT_OUT)), "x.png", null);
    // step 1 ms; epoch 219 x 1 ms; PyTorch 40 ms per step, 8.76 s per epoch: 40x; inference 900/20
    // = 45x
    assertTrue(
        md.contains(
            "| 12 | lstm | ChapterModel | cpu | all | 1.00 ms | 219 ms | 20 µs | 40.0 ms | 8.76 s | "
                + "900 µs | 40.0x | 45.0x |"),
        md);
    // epoch floor at 100 GFLOP/s: 219 x 51,508,500 FLOP = 0.1128 s; measured 0.219 s is 1.94x the
    // floor
    assertTrue(
        md.contains("| 12 | lstm | cpu | all | 5,250 | 51.51 | 113 ms | 62.7 ms | 1.94x | 3.49x |"),
        md);
    assertTrue(
        md.contains("| DenseBenchmark.step | backend=cpu size=chapter units=1 | 5.50 µs |"), md);
    assertTrue(md.contains("![epoch time per model](x.png)"));
    assertFalse(md.contains("## Scaling"), "no scaling results, no scaling section");
  }

  @Test
  void largeLstmGetsItsOwnSectionBesideThePeer() {
    List<BenchResult> results =
        List.of(
            result("LargeLstmBenchmark.trainStep", 200_000, "backend", "cpu", "threads", "1"),
            result("LargeLstmBenchmark.trainStep", 100_000, "backend", "cpu", "threads", "0"));
    PeerTimings peer =
        new PeerTimings()
            .addLargeLstm(
                "torch 1.13.0, device cpu, threads 1\n" + "large-lstm train step us: 150000.0");
    String md = ReportMarkdown.render(data(results, List.of(), peer), null, null);
    assertTrue(md.contains("## Large LSTM"), md);
    assertTrue(md.contains("PyTorch on 1 thread: 150 ms."), md);
    // 3 x 6.71 GFLOP of products, less the 3.36 of an input gradient a first layer never computes,
    // plus the cells, the loss and Adam (under 0.1)
    assertTrue(md.contains(": 16.9 GFLOP."), md);
    // 150 ms / 200 ms and 150 ms / 100 ms
    assertTrue(
        md.matches("(?s).*\\| cpu \\| 1 \\| 200 ms \\| [0-9.]+ \\| [0-9.]+x \\| 0\\.750x \\|.*"),
        md);
    assertTrue(
        md.matches("(?s).*\\| cpu \\| all \\| 100 ms \\| [0-9.]+ \\| [0-9.]+x \\| 1\\.50x \\|.*"),
        md);
    assertFalse(
        md.contains("## Other benchmarks"), "the large LSTM is not listed again among the others");
  }

  @Test
  void missingPeerAndMissingInferenceShowDashes() {
    List<BenchResult> results =
        List.of(result("ConvBenchmark.waveNetTrainStep", 2000, "backend", "cpu", "threads", "1"));
    String md = ReportMarkdown.render(data(results, List.of(), null), null, null);
    assertTrue(
        md.contains("| 15 | wavenet | Conv | cpu | 1 | 2.00 ms | 438 ms | — | — | — | — | — | — |"),
        md);
  }

  @Test
  void scalingTableFlagsAStepChangeInTimePerFlop() {
    ScalingSweep batch = ScalingSweep.all().get(0);
    List<BenchResult> scaling =
        List.of(
            result(
                "ScalingBenchmark.lstmTrainStep", 100, "batch", "1", "steps", "50", "hidden", "20"),
            result(
                "ScalingBenchmark.lstmTrainStep", 800, "batch", "8", "steps", "50", "hidden", "20"),
            result(
                "ScalingBenchmark.lstmTrainStep",
                9600,
                "batch",
                "32",
                "steps",
                "50",
                "hidden",
                "20"),
            // another sweep's point: not part of the batch sweep
            result(
                "ScalingBenchmark.lstmTrainStep",
                5,
                "batch",
                "8",
                "steps",
                "1000",
                "hidden",
                "20"));
    List<ScalingPoint> points = ScalingPoint.of(batch, scaling);
    assertEquals(List.of(1, 8, 32), points.stream().map(ScalingPoint::size).toList());
    String md = ReportMarkdown.render(data(List.of(), scaling, null), null, "s.png");
    assertTrue(md.contains("## Scaling"), md);
    // batch 8 -> 32: 4x the work nearly, 12x the time: flagged
    String row32 =
        md.lines().filter(l -> l.startsWith("| LSTM batch | 32 |")).findFirst().orElseThrow();
    assertTrue(row32.matches(".*\\| [0-9.]+x per FLOP \\|$"), row32);
    String row8 =
        md.lines().filter(l -> l.startsWith("| LSTM batch | 8 |")).findFirst().orElseThrow();
    assertTrue(row8.endsWith("|  |"), row8);
    assertTrue(md.contains("![time against size, log-log](s.png)"));
  }

  @Test
  void formatsTimesWithAShortUnit() {
    assertEquals("5.50 µs", ReportFormat.micros(5.5));
    assertEquals("850 µs", ReportFormat.micros(850));
    assertEquals("12.3 ms", ReportFormat.micros(12_345));
    assertEquals("4.57 s", ReportFormat.micros(4_567_000));
    assertEquals("—", ReportFormat.micros(Double.NaN));
    assertEquals("0.00124 µs", ReportFormat.micros(0.00124));
    assertEquals("—", ReportFormat.ratio(Double.NaN));
    assertEquals("3,860x", ReportFormat.ratio(3860.4));
    assertEquals("1.94x", ReportFormat.ratio(1.9414));
  }

  @Test
  void parsesOptionsAndRejectsBadOnes() {
    ReportOptions o =
        ReportOptions.parse(
            "--quick", "--include", "Recurrent", "--backend", "cpu,reference", "--peer");
    assertTrue(o.quick());
    assertTrue(o.peer());
    assertTrue(o.scaling());
    assertEquals("Recurrent", o.include());
    assertEquals(List.of("cpu", "reference"), o.backends());
    assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--include"));
    assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--include", "("));
    assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--backend", "gpu"));
    assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--fast"));
    assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--threads", "all"));
    assertEquals(List.of("1", "0"), ReportOptions.parse().threads());
    assertEquals(List.of("2"), ReportOptions.parse("--threads", "2").threads());
  }

  @Test
  void writesBothChartsAsPng(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    List<BenchResult> results =
        List.of(
            result(
                "ChapterModelBenchmark.trainStep",
                1000,
                "backend",
                "cpu",
                "threads",
                "0",
                "row",
                "12"));
    List<BenchResult> scaling =
        List.of(
            result("ScalingBenchmark.waveNetInfer", 300, "length", "50"),
            result("ScalingBenchmark.waveNetInfer", 3000, "length", "500"));
    ReportData d = data(results, scaling, null);
    Path models = dir.resolve("m.png");
    Path sizes = dir.resolve("s.png");
    ReportCharts.write(ReportCharts.models(d), models);
    ReportCharts.write(ReportCharts.scaling(scaling), sizes);
    for (Path p : List.of(models, sizes)) {
      byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(p), 4);
      assertEquals(
          "\u0089PNG",
          new String(head, java.nio.charset.StandardCharsets.ISO_8859_1),
          p.toString());
    }
  }
}
