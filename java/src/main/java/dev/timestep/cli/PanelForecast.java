package dev.timestep.cli;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.Quoted;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.io.AtomicFiles;
import dev.timestep.io.ModelFile;
import dev.timestep.io.SavedModel;
import dev.timestep.pipeline.SeriesPrecision;
import dev.timestep.pipeline.panel.GlobalModel;
import dev.timestep.pipeline.panel.IdForecast;
import dev.timestep.pipeline.panel.ManySeriesForecaster;
import dev.timestep.pipeline.panel.PerSeriesModels;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code forecast --model M} where M is a model of many series (a global model file, or a folder of
 * per-series model files): forecasts every id, or those of {@code --id}, from the rows the model
 * keeps, and writes them in long format: {@code id,time,forecast[,lower_95,upper_95]}.
 */
final class PanelForecast {
  /** The two-sided standard normal quantile of the 95% interval written with MC samples. */
  private static final double Z = 1.959963984540054;

  private PanelForecast() {}

  /**
   * Whether {@code model} is a folder of per-series model files or a global model file, which this
   * class forecasts; any other path is left to the single-series forecast and its checks.
   */
  static boolean handles(Path model) throws IOException {
    if (Files.isDirectory(model)) {
      return PerSeriesModels.isFolder(model);
    }
    if (!Files.isRegularFile(model)) {
      return false;
    }
    // The reference backend reads the file without native memory; a damaged file is left to the
    // single-series path, whose messages name the problem.
    try (SavedModel saved = ModelFile.load(model, Backends.named("reference"))) {
      return GlobalModel.isGlobal(saved.metadata());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static int run(ForecastCommand c) throws IOException {
    PrintWriter o = c.spec.commandLine().getOut();
    if (c.source.given() > 0 || c.plot != null) {
      throw new IllegalArgumentException(
          "--model "
              + c.modelFile
              + " is a model of many series: it forecasts from the rows it keeps, so --csv,"
              + " --builtin, --generator and --plot are not taken");
    }
    if (c.output != null) {
      OutputFiles.check("--output", c.output);
      if (!c.output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
        throw new IllegalArgumentException(
            "--output " + c.output + ": a forecast of many series is written as .csv");
      }
    }
    if (c.horizon != null) {
      TrainCommand.checkPositive("--horizon", c.horizon);
    }
    if (c.mcSamples < 0 || c.mcSamples == 1) {
      throw new IllegalArgumentException(
          "--mc-samples must be 0 (no MC dropout) or at least 2, got " + c.mcSamples);
    }
    try (ManySeriesForecaster model = load(c.modelFile, c.backend)) {
      List<String> ids = c.ids == null || c.ids.isEmpty() ? model.ids() : c.ids;
      for (String id : ids) {
        if (!model.ids().contains(id)) {
          throw new IllegalArgumentException(
              "--id '"
                  + Quoted.of(id)
                  + "' is not a series of "
                  + c.modelFile
                  + "; its ids are "
                  + Quoted.list(model.ids()));
        }
      }
      int steps = c.horizon != null ? c.horizon : horizonOf(model);
      ForecastSizes.check(
          infoOf(model), (int) Math.min(Integer.MAX_VALUE, (long) steps * ids.size()), c.mcSamples);
      List<IdForecast> all = new ArrayList<>();
      for (String id : ids) {
        all.add(model.forecast(id, steps, c.mcSamples));
      }
      o.printf(
          Locale.ROOT,
          "model %s: %s of %d series; %d steps for %d of them%n",
          c.modelFile,
          model instanceof GlobalModel ? "global model" : "per-series models",
          model.ids().size(),
          steps,
          ids.size());
      if (c.output != null) {
        Path target = c.output.toAbsolutePath();
        AtomicFiles.createFolders(target);
        AtomicFiles.write(
            target,
            out -> {
              Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
              csv(w, all);
              w.flush();
            });
        o.println("wrote " + c.output);
      } else {
        Writer w = o;
        csv(w, all);
        o.flush();
      }
    }
    return 0;
  }

  private static ManySeriesForecaster load(Path model, String backend) throws IOException {
    return Files.isDirectory(model)
        ? PerSeriesModels.load(model, Backends.named(backend))
        : GlobalModel.load(model, Backends.named(backend));
  }

  private static int horizonOf(ManySeriesForecaster model) {
    return infoOf(model).horizon();
  }

  private static dev.timestep.pipeline.SeriesModelInfo infoOf(ManySeriesForecaster model) {
    return model instanceof GlobalModel g
        ? g.network().info()
        : ((PerSeriesModels) model).model(model.ids().get(0)).info();
  }

  /** Long format: one row per id and step; the interval only with MC samples. */
  static void csv(Writer w, List<IdForecast> all) throws IOException {
    boolean spread = !all.isEmpty() && all.get(0).std() != null;
    w.write("id,time,forecast" + (spread ? ",lower_95,upper_95" : "") + "\n");
    for (IdForecast f : all) {
      // compact dates are written as dates: 2002-01-05, not 20020105
      TimeFormat format = f.format() == TimeFormat.BASIC_DATE ? TimeFormat.DATE : f.format();
      double[] mean = f.mean();
      double[] std = f.std();
      for (int k = 0; k < mean.length; k++) {
        w.write(cell(f.id()) + "," + format.format(f.times().get(k)) + ",");
        w.write(SeriesPrecision.format(mean[k], f.decimals()));
        if (spread) {
          w.write("," + SeriesPrecision.format(mean[k] - Z * std[k], f.decimals()));
          w.write("," + SeriesPrecision.format(mean[k] + Z * std[k], f.decimals()));
        }
        w.write("\n");
      }
    }
  }

  /** An id as a CSV cell: quoted when it holds a comma, quote or line break. */
  static String cell(String id) {
    return id.matches("[^,\"\r\n]*") ? id : "\"" + id.replace("\"", "\"\"") + "\"";
  }
}
