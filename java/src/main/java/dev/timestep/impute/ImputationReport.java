package dev.timestep.impute;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of an {@link ImputationEvaluation}: per method, the errors on the removed single
 * values, on the removed runs, and on all of them, in the series' units.
 *
 * @param source the series
 * @param column the column scored
 * @param singles single values removed
 * @param runs runs removed
 * @param runLength values per run
 * @param fromRow the earliest row that could be removed
 * @param ownGaps values the series was already missing (filled, not scored)
 * @param methods the model's methods first, then linear interpolation
 */
public record ImputationReport(
    String source,
    String column,
    int singles,
    int runs,
    int runLength,
    int fromRow,
    int ownGaps,
    List<MethodErrors> methods) {
  /** The name of the baseline among {@link #methods()}. */
  public static final String INTERPOLATION = "linear interpolation";

  public ImputationReport {
    methods = List.copyOf(methods);
  }

  /**
   * Mean absolute and root mean squared error over some removed values.
   *
   * @param count how many values were scored (0: the errors are NaN)
   */
  public record Errors(int count, double mae, double rmse) {}

  /** One method's errors on the single values, on the runs, and on both. */
  public record MethodErrors(String method, Errors singles, Errors runs, Errors all) {}

  /** The errors of the method with this name. */
  public MethodErrors method(String name) {
    return methods.stream()
        .filter(m -> m.method().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "imputation report: no method '"
                        + name
                        + "'; it has "
                        + methods.stream().map(MethodErrors::method).toList()));
  }

  /** The errors of linear interpolation. */
  public MethodErrors interpolation() {
    return method(INTERPOLATION);
  }

  /** A table, then one line per model method saying how it compares with interpolation on RMSE. */
  public void print(PrintWriter out, String units) {
    String u = units == null || units.isBlank() ? "" : " (" + units + ")";
    out.printf(
        Locale.ROOT,
        "%-42s %21s %21s %21s%n",
        "method" + u,
        "single values",
        "runs of " + runLength,
        "all");
    out.printf(
        Locale.ROOT,
        "%-42s %10s %10s %10s %10s %10s %10s%n",
        "",
        "MAE",
        "RMSE",
        "MAE",
        "RMSE",
        "MAE",
        "RMSE");
    for (MethodErrors m : methods) {
      out.printf(
          Locale.ROOT,
          "%-42s %10.4f %10.4f %10.4f %10.4f %10.4f %10.4f%n",
          m.method(),
          m.singles().mae(),
          m.singles().rmse(),
          m.runs().mae(),
          m.runs().rmse(),
          m.all().mae(),
          m.all().rmse());
    }
    MethodErrors base = interpolation();
    for (MethodErrors m : methods) {
      if (m != base) {
        out.println(
            m.method()
                + ": "
                + compare("single values", m.singles(), base.singles())
                + "; "
                + compare("runs", m.runs(), base.runs())
                + "; "
                + compare("all", m.all(), base.all()));
      }
    }
    out.flush();
  }

  /**
   * "beats interpolation by 12.3% RMSE" or "is 8.1% worse ...", or why there is nothing to compare.
   */
  static String compare(String what, Errors model, Errors base) {
    if (model.count() == 0) {
      return what + ": none removed";
    }
    double change = 100 * (base.rmse() - model.rmse()) / base.rmse();
    return String.format(
        Locale.ROOT,
        change >= 0
            ? "%s %.1f%% lower RMSE than interpolation"
            : "%s %.1f%% higher RMSE than interpolation",
        what,
        Math.abs(change));
  }
}
