package dev.timestep.pipeline;

import dev.timestep.backend.Backend;
import dev.timestep.models.ChapterModels;
import java.util.List;

/**
 * What {@link AutoTrainer} may choose among and the few things it does not choose. Null means
 * "choose": the window from the season and rows, the epochs from the steps they give.
 *
 * @param models chapter model names to backtest against each other (one: no choice)
 * @param transforms transforms to backtest (log and Box-Cox are skipped for a series with a value
 *     at or below 0)
 * @param window input rows per forecast, or null to choose ({@link AutoPlan})
 * @param horizon steps forecast at once
 * @param epochs the most epochs a fit may take, or null to choose ({@link AutoDefaults#maxEpochs})
 * @param batchSize windows per step
 * @param learningRate Adam's rate, or NaN for each model's default
 * @param scaler standard or minmax
 * @param relative windows relative to their last value, or null to choose: the linear model is
 *     backtested both ways, the others relative (their tanh units saturate on a level outside the
 *     training range)
 * @param seed the first member's seed (member i takes seed + i)
 * @param members models trained with different seeds whose median is the forecast
 * @param folds rolling-origin folds that score each candidate and calibrate the intervals, or null
 *     to choose (5, fewer on a short series: {@link AutoPlan})
 * @param season the season, or null to detect it from the time step
 * @param patience epochs without a better validation loss before a fit stops (0: never)
 * @param backend where the models train
 * @param fill how gaps in windows' inputs are treated
 */
public record AutoSettings(
    List<String> models,
    List<TransformChoice> transforms,
    Integer window,
    int horizon,
    Integer epochs,
    int batchSize,
    double learningRate,
    String scaler,
    Boolean relative,
    long seed,
    int members,
    Integer folds,
    Integer season,
    int patience,
    Backend backend,
    GapFill fill,
    boolean budgeted) {
  /**
   * The models {@code auto} backtests: the linear model and a recurrent one (the latter only within
   * {@link AutoDefaults#RECURRENT_BUDGET}).
   */
  public static final List<String> AUTO_MODELS = List.of("linear", "gru");

  /**
   * The transforms it backtests. Seasonal differencing is an option, not a default: on the
   * development panel, adding it to the candidates raised the geometric-mean MASE from 0.917 to
   * 0.994 (a candidate more to pick by chance on a few folds).
   */
  public static final List<TransformChoice> AUTO_TRANSFORMS =
      List.of(TransformChoice.NONE, TransformChoice.BOXCOX);

  public static final int DEFAULT_MEMBERS = 3;
  public static final int DEFAULT_FOLDS = 5;

  /**
   * @param budgeted whether models beyond the linear one are skipped when a fit would exceed {@link
   *     AutoDefaults#RECURRENT_BUDGET} (true for {@code auto}, false when the models are named)
   */
  public AutoSettings {
    if (models == null || models.isEmpty() || transforms == null || transforms.isEmpty()) {
      throw new IllegalArgumentException("auto: at least one model and one transform are needed");
    }
    models.forEach(ChapterModels::named); // refuses an unknown name now
    models = List.copyOf(models);
    transforms = List.copyOf(transforms);
    requireAtLeast("horizon", horizon, 1);
    requireAtLeast("batch size", batchSize, 1);
    requireAtLeast("members", members, 1);
    if (folds != null) {
      requireAtLeast("folds", folds, 1);
    }
    requireAtLeast("patience", patience, 0);
    if (window != null) {
      requireAtLeast("window", window, 1);
    }
    if (epochs != null) {
      requireAtLeast("epochs", epochs, 1);
    }
    if (season != null) {
      requireAtLeast("season", season, 1);
    }
    if (backend == null || fill == null || scaler == null) {
      throw new IllegalArgumentException("auto: a backend, a gap fill and a scaler are needed");
    }
  }

  /** Everything chosen: the auto models and transforms, 3 members, the plan's folds. */
  public static AutoSettings defaults(int horizon, Backend backend) {
    return new AutoSettings(
        AUTO_MODELS,
        AUTO_TRANSFORMS,
        null,
        horizon,
        null,
        32,
        Double.NaN,
        "standard",
        null,
        0,
        DEFAULT_MEMBERS,
        null,
        null,
        AutoDefaults.PATIENCE,
        backend,
        GapFill.LINEAR,
        true);
  }

  /** These settings with the models {@code m}, named: all backtested whatever a fit costs. */
  public AutoSettings withModels(List<String> m) {
    Builder b = toBuilder();
    b.models = m;
    b.budgeted = false;
    return b.build();
  }

  /** These settings with only the transforms {@code t}. */
  public AutoSettings withTransforms(List<TransformChoice> t) {
    Builder b = toBuilder();
    b.transforms = t;
    return b.build();
  }

  /** These settings with {@code n} members. */
  public AutoSettings withMembers(int n) {
    Builder b = toBuilder();
    b.members = n;
    return b.build();
  }

  /** These settings with {@code k} folds. */
  public AutoSettings withFolds(int k) {
    Builder b = toBuilder();
    b.folds = k;
    return b.build();
  }

  /** These settings with a fixed window and epoch limit. */
  public AutoSettings withWindowAndEpochs(Integer w, Integer e) {
    Builder b = toBuilder();
    b.window = w;
    b.epochs = e;
    return b.build();
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** A copy of every component, changed one field at a time by the withers above. */
  private static final class Builder {
    List<String> models;
    List<TransformChoice> transforms;
    Integer window;
    final int horizon;
    Integer epochs;
    final int batchSize;
    final double learningRate;
    final String scaler;
    final Boolean relative;
    final long seed;
    int members;
    Integer folds;
    final Integer season;
    final int patience;
    final Backend backend;
    final GapFill fill;
    boolean budgeted;

    Builder(AutoSettings a) {
      models = a.models;
      transforms = a.transforms;
      window = a.window;
      horizon = a.horizon;
      epochs = a.epochs;
      batchSize = a.batchSize;
      learningRate = a.learningRate;
      scaler = a.scaler;
      relative = a.relative;
      seed = a.seed;
      members = a.members;
      folds = a.folds;
      season = a.season;
      patience = a.patience;
      backend = a.backend;
      fill = a.fill;
      budgeted = a.budgeted;
    }

    AutoSettings build() {
      return new AutoSettings(
          models,
          transforms,
          window,
          horizon,
          epochs,
          batchSize,
          learningRate,
          scaler,
          relative,
          seed,
          members,
          folds,
          season,
          patience,
          backend,
          fill,
          budgeted);
    }
  }

  private static void requireAtLeast(String what, int value, int least) {
    if (value < least) {
      throw new IllegalArgumentException(
          "auto: " + what + " must be at least " + least + ", got " + value);
    }
  }
}
