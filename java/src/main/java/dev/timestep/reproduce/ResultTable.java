package dev.timestep.reproduce;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.timestep.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prints results beside the book's numbers, and writes them as JSON for reports. */
public final class ResultTable {
  private ResultTable() {}

  public static void print(List<RowResult> results, PrintStream out) {
    boolean seeds = results.stream().anyMatch(r -> r.values().size() > 1);
    String fmt = "%-4s %-9s %-58s %-17s %10s" + (seeds ? " %9s" : "%s") + " %10s %8s %8s%n";
    out.printf(
        Locale.ROOT,
        fmt,
        "row",
        "task",
        "model",
        "metric",
        seeds ? "ours mean" : "ours",
        seeds ? "± std" : "",
        "book",
        "delta",
        "seconds");
    for (RowResult r : results) {
      ChapterRow row = r.row();
      out.printf(
          Locale.ROOT,
          fmt,
          row.number(),
          row.task(),
          row.model(),
          row.metric(),
          String.format(Locale.ROOT, "%.5f", r.value()),
          seeds ? String.format(Locale.ROOT, "%.5f", r.std()) : "",
          String.format(Locale.ROOT, "%.5f", row.bookValue()),
          String.format(Locale.ROOT, "%+.1f%%", r.deltaPercent()),
          String.format(Locale.ROOT, "%.1f", r.seconds()));
    }
  }

  /**
   * Writes the results as a markdown table (one row per chapter row: ours as mean ± std over seeds,
   * every seed's value, the book's final run and published range, the delta, the time), under a
   * title and a line saying how they were obtained; atomically.
   */
  public static void writeMarkdown(List<RowResult> results, Path file, String settings)
      throws IOException {
    if (results == null || results.isEmpty()) {
      throw new IllegalArgumentException("markdown table: no row results to write");
    }
    StringBuilder md = new StringBuilder("# Chapter 15 results beside the book's\n\n");
    if (settings != null && !settings.isBlank()) {
      md.append(settings.strip()).append("\n\n");
    }
    md.append(
        "| row | task | model | metric | ours (mean) | ± std | per seed | book | book's runs | delta | seconds |\n");
    md.append("|---:|---|---|---|---:|---:|---|---:|---|---:|---:|\n");
    for (RowResult r : results) {
      ChapterRow row = r.row();
      StringBuilder seeds = new StringBuilder();
      for (double v : r.values()) {
        seeds.append(seeds.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.5f", v));
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s | %.5f | %.5f | %s | %.5f | %.5f-%.5f | %+.1f%% | %.1f |%n",
              row.number(),
              cell(row.task()),
              cell(row.model()),
              cell(row.metric()),
              r.value(),
              r.std(),
              seeds,
              row.bookValue(),
              row.bookLow(),
              row.bookHigh(),
              r.deltaPercent(),
              r.seconds()));
    }
    byte[] bytes = md.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.createFolders(file);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  /**
   * Writes [{row, task, model, metric, ours (the mean over seeds), std, values (one per seed),
   * book, book_low, book_high, seconds, backend, seed (the first), epochs}, ...] atomically (see
   * {@link AtomicFiles}).
   */
  public static void writeJson(
      List<RowResult> results, Path file, String backend, long seed, int epochs)
      throws IOException {
    AtomicFiles.createFolders(file);
    AtomicFiles.write(
        file,
        out -> {
          try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (RowResult r : results) {
              ChapterRow row = r.row();
              g.writeStartObject();
              g.writeNumberField("row", row.number());
              g.writeStringField("task", row.task());
              g.writeStringField("model", row.model());
              g.writeStringField("metric", row.metric());
              g.writeNumberField("ours", r.value());
              g.writeNumberField("std", r.std());
              g.writeArrayFieldStart("values");
              for (double v : r.values()) {
                g.writeNumber(v);
              }
              g.writeEndArray();
              g.writeNumberField("book", row.bookValue());
              g.writeNumberField("book_low", row.bookLow());
              g.writeNumberField("book_high", row.bookHigh());
              g.writeNumberField("seconds", r.seconds());
              g.writeStringField("backend", backend);
              g.writeNumberField("seed", seed);
              g.writeNumberField("epochs", epochs);
              g.writeEndObject();
            }
            g.writeEndArray();
          }
        });
  }
}
