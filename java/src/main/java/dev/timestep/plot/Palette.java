package dev.timestep.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;

/** Colours and strokes shared by the plots, fixed so that tests can find each series by colour. */
final class Palette {
  static final Color OBSERVED = new Color(0x1f77b4);
  static final Color FORECAST = new Color(0xd62728);
  static final Color ACTUAL = new Color(0x2ca02c);
  static final Color OURS = new Color(0x1f77b4);
  static final Color BOOK = new Color(0xff7f0e);

  /** Near black but not grey, so that antialiased black text never passes for an error bar. */
  static final Color ERROR_BAR = new Color(0x101050);

  static final Color GRID = new Color(0xdddddd);
  static final Color MARKER = new Color(0x888888);

  /** Training curves (loss, a metric): blue. */
  static final Color TRAIN = new Color(0x1f77b4);

  /** Validation curves (val_loss, val_ a metric): orange, never a shade of the training blue. */
  static final Color VALIDATION = new Color(0xff7f0e);

  /**
   * Training and validation colours of the metrics of one learning-curve panel, pair by pair in
   * order of first appearance: the first metric is blue and orange, a second green and purple, ...
   */
  private static final Color[][] CURVE_PAIRS = {
    {TRAIN, VALIDATION},
    {new Color(0x2ca02c), new Color(0x9467bd)},
    {new Color(0x8c564b), new Color(0xe377c2)},
    {new Color(0x17becf), new Color(0xbcbd22)}
  };

  static final Stroke LINE = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  static final Stroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);

  private Palette() {}

  /** The colour of metric {@code index} of a panel, for its training or validation curve. */
  static Color curve(int index, boolean validation) {
    return CURVE_PAIRS[index % CURVE_PAIRS.length][validation ? 1 : 0];
  }
}
