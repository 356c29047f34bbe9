package dev.timestep.spark;

import dev.timestep.data.series.transform.Difference;
import dev.timestep.pipeline.SeriesEnsemble;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the driver needs to know of a model file without keeping it loaded: the shape of its input
 * and output, and whether it is a plain model or an ensemble.
 *
 * @param window the members' window
 * @param features the columns each window step holds
 * @param memberHorizon the steps the members forecast at once (past it, forecasts are fed back)
 * @param horizon the steps a forecast takes by default
 * @param dropout whether a plain model was trained with dropout (MC samples need it)
 * @param plain whether the file is one plain model
 * @param lead rows before the window that a seasonal difference needs (0 without one)
 * @param levels the conformal intervals' levels (empty without intervals)
 * @param description for messages: "an ensemble of 3 model(s) trained under a boxcox transform"
 */
record ModelShape(
    int window,
    int features,
    int memberHorizon,
    int horizon,
    boolean dropout,
    boolean plain,
    int lead,
    double[] levels,
    String description)
    implements Serializable {

  /** The shape of the file in {@code bytes} (loaded once, then closed). */
  static ModelShape of(byte[] bytes) {
    try (SeriesEnsemble e = ExecutorModels.fromBytes(bytes)) {
      boolean plain = e.isPlain();
      int members = e.members().size();
      String transform = e.transform() == null ? null : e.transform().describe();
      return new ModelShape(
          e.info().window(),
          e.info().columns().size(),
          e.info().horizon(),
          e.horizon(),
          plain && e.members().get(0).model().hasDropout(),
          plain,
          e.transform() instanceof Difference d ? d.lag() : 0,
          e.intervals().isEmpty() ? new double[0] : e.intervals().levels().clone(),
          "an ensemble of "
              + members
              + " model(s)"
              + (transform == null ? "" : " trained under " + transform));
    }
  }

  /** The rows each input window must hold: the window and the difference's lag before it. */
  int inputRows() {
    return window + lead;
  }

  /** lower_80, upper_80, lower_95, upper_95: two per interval level. */
  List<String> boundColumns() {
    List<String> out = new ArrayList<>();
    for (double l : levels) {
      String pct = String.format(Locale.ROOT, "%.0f", l * 100);
      out.add("lower_" + pct);
      out.add("upper_" + pct);
    }
    return out;
  }

  String describe() {
    return description;
  }
}
