package dev.timestep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --id-column and forecast of a model of many series, end to end on a long CSV. */
class ManySeriesCommandTest {
  /** Three stores of different levels, 48 months each, rows shuffled; store "new" has 10. */
  private static Path longCsv(Path file) throws Exception {
    List<String> rows = new ArrayList<>();
    String[] stores = {"north", "south", "east"};
    double[] levels = {10, 100, 1000};
    SplittableRandom r = new SplittableRandom(3);
    for (int s = 0; s < stores.length; s++) {
      for (int t = 0; t < 48; t++) {
        double v =
            levels[s] * (1 + 0.1 * Math.sin(2 * Math.PI * t / 12))
                + levels[s] * 0.005 * r.nextDouble();
        rows.add(
            String.format(
                Locale.ROOT, "%s,%d-%02d,%.2f,x", stores[s], 2000 + t / 12, t % 12 + 1, v));
      }
    }
    for (int t = 0; t < 10; t++) {
      rows.add(String.format(Locale.ROOT, "new,2003-%02d,5.00,x", t + 1));
    }
    Collections.shuffle(rows, new java.util.Random(1));
    return Files.writeString(file, "store,date,sales,note\n" + String.join("\n", rows) + "\n");
  }

  private static CliRun train(Path csv, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--csv",
                csv.toString(),
                "--id-column",
                "store",
                "--time-column",
                "date",
                "--column",
                "sales",
                "--model",
                "linear",
                "--window",
                "6",
                "--horizon",
                "2",
                "--epochs",
                "3",
                "--backend",
                "cpu",
                "--quiet",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(new String[0]));
  }

  @Test
  void aGlobalModelTrainsOnEveryStoreAndForecastsThemAllInLongFormat(@TempDir Path dir)
      throws Exception {
    Path csv = longCsv(dir.resolve("long.csv"));
    CliRun t = train(csv, dir.resolve("models.tsm"));
    assertEquals(0, t.code(), t.toString());
    assertTrue(t.out().contains("data: 4 series in"), t.out());
    assertTrue(
        t.out().contains("skipped new: 10 rows, fewer than the 16 needed for 2 x (window 6"),
        t.out());
    assertTrue(t.err().contains("warning: 1 of 4 series skipped"), t.err());
    assertTrue(t.out().contains("global model: 3 series"), t.out());
    Path all = dir.resolve("all.csv");
    CliRun f =
        CliRun.of(
            "forecast",
            "--model",
            dir.resolve("models.tsm").toString(),
            "--horizon",
            "3",
            "--backend",
            "cpu",
            "--output",
            all.toString());
    assertEquals(0, f.code(), f.toString());
    List<String> lines = Files.readAllLines(all);
    assertEquals("id,time,forecast", lines.get(0));
    assertEquals(1 + 3 * 3, lines.size(), lines.toString());
    // ids in the order of their first row; each id's steps in time order
    int north = lines.indexOf(lines.stream().filter(l -> l.startsWith("north,")).findFirst().get());
    assertTrue(lines.get(north).startsWith("north,2004-01,"), lines.toString());
    assertTrue(lines.get(north + 2).startsWith("north,2004-03,"), lines.toString());
    // values at the series' 2 decimals plus two, each near its own store's level
    String east = lines.stream().filter(l -> l.startsWith("east,2004-01,")).findFirst().get();
    assertTrue(east.matches("east,2004-01,\\d+\\.\\d{4}"), east);
    double value = Double.parseDouble(east.split(",")[2]);
    assertTrue(value > 800 && value < 1200, east);
    String north1 = lines.get(north).split(",")[2];
    assertTrue(Double.parseDouble(north1) > 8 && Double.parseDouble(north1) < 12, lines.get(north));
    CliRun one =
        CliRun.of(
            "forecast",
            "--model",
            dir.resolve("models.tsm").toString(),
            "--id",
            "south",
            "--backend",
            "cpu");
    assertEquals(0, one.code(), one.toString());
    assertTrue(one.out().contains("south,2004-02,"), one.out());
    assertTrue(!one.out().contains("north,"), one.out());
    CliRun held = train(csv, dir.resolve("held.tsm"), "--holdout", "6");
    assertEquals(0, held.code(), held.toString());
    assertTrue(
        held.out()
            .contains(
                "then trained again on every kept row of every series (all but the 6 held out)"),
        held.out());
    for (String store : new String[] {"north", "south", "east"}) {
      assertTrue(held.out().lines().anyMatch(l -> l.matches(store + " +\\d.*")), held.out());
    }
    CliRun mc = train(csv, dir.resolve("mc.tsm"), "--dropout", "0.2");
    assertEquals(0, mc.code(), mc.toString());
    Path bands = dir.resolve("bands.csv");
    CliRun withBands =
        CliRun.of(
            "forecast",
            "--model",
            dir.resolve("mc.tsm").toString(),
            "--mc-samples",
            "20",
            "--backend",
            "cpu",
            "--output",
            bands.toString());
    assertEquals(0, withBands.code(), withBands.toString());
    List<String> banded = Files.readAllLines(bands);
    assertEquals("id,time,forecast,lower_95,upper_95", banded.get(0));
    for (String line : banded.subList(1, banded.size())) {
      String[] v = line.split(",");
      double mean = Double.parseDouble(v[2]);
      assertTrue(
          Double.parseDouble(v[3]) < mean && mean < Double.parseDouble(v[4]), "a band: " + line);
    }
    CliRun unknown =
        CliRun.of("forecast", "--model", dir.resolve("models.tsm").toString(), "--id", "west");
    assertEquals(2, unknown.code(), unknown.toString());
    assertTrue(unknown.errorLine().contains("--id 'west' is not a series of"), unknown.errorLine());
  }

  @Test
  void perSeriesModelsGoToAFolderWithTheirHoldoutScores(@TempDir Path dir) throws Exception {
    Path csv = longCsv(dir.resolve("long.csv"));
    Path folder = dir.resolve("stores");
    CliRun t = train(csv, folder, "--per-series", "--holdout", "6");
    assertEquals(0, t.code(), t.toString());
    assertTrue(t.out().contains("per-series models: 3"), t.out());
    for (String store : new String[] {"north", "south", "east"}) {
      assertTrue(t.out().lines().anyMatch(l -> l.matches(store + " +\\d.*")), t.out());
    }
    assertTrue(Files.isRegularFile(folder.resolve("series-00003.tsm")));
    Path all = dir.resolve("all.csv");
    CliRun f =
        CliRun.of(
            "forecast",
            "--model",
            folder.toString(),
            "--backend",
            "cpu",
            "--output",
            all.toString());
    assertEquals(0, f.code(), f.toString());
    List<String> lines = Files.readAllLines(all);
    assertEquals(1 + 3 * 2, lines.size(), lines.toString());
    // the kept rows end before the 6 held out: 2003-06, so the forecast starts at 2003-07
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("north,2003-07,")), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("north,2003-09,")), lines.toString());
  }

  @Test
  void badLongFilesAreRefusedNamingTheProblem(@TempDir Path dir) throws Exception {
    Path dup =
        Files.writeString(
            dir.resolve("dup.csv"), "store,date,sales\na,2001-01,1\na,2001-02,2\na,2001-01,3\n");
    CliRun r = train(dup, dir.resolve("m.tsm"));
    assertEquals(2, r.code(), r.toString());
    assertTrue(
        r.errorLine().contains("line 4: id 'a' has two rows at 2001-01 (the other is line 2)"),
        r.errorLine());
    CliRun noCsv =
        CliRun.of("train", "--builtin", "co2", "--id-column", "store", "--model", "linear");
    assertEquals(2, noCsv.code(), noCsv.toString());
    assertTrue(noCsv.errorLine().contains("long-format --csv FILE"), noCsv.errorLine());
    CliRun perSeriesAlone =
        CliRun.of("train", "--csv", dup.toString(), "--per-series", "--model", "linear");
    assertEquals(2, perSeriesAlone.code(), perSeriesAlone.toString());
    assertTrue(perSeriesAlone.errorLine().contains("give --id-column"), perSeriesAlone.errorLine());
  }
}
