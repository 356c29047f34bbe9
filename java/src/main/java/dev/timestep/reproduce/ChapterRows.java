package dev.timestep.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The rows of the chapter's table that this version can run, by number. */
public final class ChapterRows {
  /** Rows of CHAPTER15 §3 not implemented yet, with what they need, for clear errors. */
  private static final Map<Integer, String> PENDING = Map.ofEntries(
      Map.entry(3, "SimpleRNN(1)"), Map.entry(4, "deep SimpleRNN"), Map.entry(5, "deep SimpleRNN + Dense"),
      Map.entry(6, "iterative forecast with model 5"), Map.entry(9, "seq-to-vector SimpleRNN"),
      Map.entry(10, "seq-to-seq SimpleRNN"), Map.entry(11, "layer-normalized SimpleRNN"),
      Map.entry(12, "LSTM"), Map.entry(13, "GRU"), Map.entry(14, "Conv1D + GRU"), Map.entry(15, "WaveNet"));

  private ChapterRows() {}

  /** Every available row, in table order. */
  public static List<ChapterRow> all() {
    Map<Integer, ChapterRow> rows = new TreeMap<>();
    for (ChapterRow r : List.of(
        new NaiveRow(1, 1, 0.0202, 0.0202, 0.0202),
        new LinearRow(2, 1, 0.0042, 0.00415, 0.00417),
        new NaiveRow(7, 10, 0.257, 0.223, 0.257),
        new LinearRow(8, 10, 0.0187, 0.0187, 0.0188))) {
      rows.put(r.number(), r);
    }
    return new ArrayList<>(rows.values());
  }

  /**
   * The rows with these numbers, in table order.
   *
   * @throws IllegalArgumentException for a number outside 1..15 or a row not available yet
   */
  public static List<ChapterRow> select(List<Integer> numbers) {
    if (numbers == null || numbers.isEmpty()) {
      return all();
    }
    Map<Integer, ChapterRow> byNumber = new TreeMap<>();
    for (ChapterRow r : all()) {
      byNumber.put(r.number(), r);
    }
    List<ChapterRow> out = new ArrayList<>();
    for (int n : new java.util.TreeSet<>(numbers)) {
      ChapterRow r = byNumber.get(n);
      if (r == null) {
        String why = PENDING.containsKey(n)
            ? "row " + n + " (" + PENDING.get(n) + ") is not available in this version"
            : "there is no row " + n + " in the chapter's table (rows are 1 to 15)";
        throw new IllegalArgumentException(why + "; available rows: " + byNumber.keySet());
      }
      out.add(r);
    }
    return out;
  }
}
