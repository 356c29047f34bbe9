package dev.timestep.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The table of a Keras-style summary in plain ASCII rules (instead of Keras' box-drawing
 * characters, so it prints the same on any console encoding): a header, then rows of cells, each
 * cell one or more lines (a line break in a cell's text starts its next line). Columns widen to fit
 * their longest line.
 */
final class SummaryTable {
  private final String[] header;
  private final int[] widths;
  private final boolean[] rightAligned;
  private final List<String[][]> rows = new ArrayList<>();

  /** Columns with these headers, content widths of at least {@code minWidths}. */
  SummaryTable(String[] header, int[] minWidths, boolean[] rightAligned) {
    this.header = header.clone();
    this.widths = minWidths.clone();
    this.rightAligned = rightAligned.clone();
    widen(lines(header));
  }

  /** Adds a row of one text per column. */
  void row(String... cells) {
    String[][] split = lines(cells);
    widen(split);
    rows.add(split);
  }

  /** The title line, the header and every row, each followed by its rule. */
  StringBuilder render(String modelName) {
    StringBuilder sb = new StringBuilder("Model: \"").append(modelName).append("\"\n");
    rule(sb, '-');
    cells(sb, lines(header));
    rule(sb, '=');
    for (String[][] r : rows) {
      cells(sb, r);
      rule(sb, '-');
    }
    return sb;
  }

  private static String[][] lines(String[] cells) {
    String[][] out = new String[cells.length][];
    for (int c = 0; c < cells.length; c++) {
      out[c] = cells[c].split("\n", -1);
    }
    return out;
  }

  private void widen(String[][] cells) {
    for (int c = 0; c < cells.length; c++) {
      for (String line : cells[c]) {
        widths[c] = Math.max(widths[c], line.length());
      }
    }
  }

  private void rule(StringBuilder sb, char c) {
    for (int w : widths) {
      sb.append('+').append(String.valueOf(c).repeat(w + 2));
    }
    sb.append("+\n");
  }

  private void cells(StringBuilder sb, String[][] cells) {
    int height = 0;
    for (String[] cell : cells) {
      height = Math.max(height, cell.length);
    }
    for (int line = 0; line < height; line++) {
      for (int c = 0; c < cells.length; c++) {
        String text = line < cells[c].length ? cells[c][line] : "";
        String pad = " ".repeat(widths[c] - text.length());
        sb.append("| ").append(rightAligned[c] ? pad + text : text + pad).append(' ');
      }
      sb.append("|\n");
    }
  }
}
