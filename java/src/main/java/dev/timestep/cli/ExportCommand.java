package dev.timestep.cli;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.ModelFile;
import dev.timestep.io.SavedModel;
import dev.timestep.onnx.OnnxExport;
import dev.timestep.pipeline.SeriesEnsemble;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code export}: a Timestep model file as an ONNX model, for ONNX Runtime and other tools. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a Timestep model file (from train or import) as an ONNX model (opset 17): input "
          + "'input' [batch, time, features], output 'output', batch and time axes dynamic, the "
          + "model's metadata (window, horizon, columns, scaler) as ONNX metadata properties."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.tsm", description = "The Timestep model file.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.onnx",
      description = "The ONNX file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    InputFiles.check("MODEL.tsm", model, "a model file saved by train or import");
    OutputFiles.check("--out", out);
    try (SavedModel saved = ModelFile.load(model, ReferenceBackend.float32())) {
      if (SeriesEnsemble.isEnsemble(saved.metadata())) {
        // Its first network alone would forecast without the transform or the other members.
        throw new IllegalArgumentException(
            model
                + " holds "
                + SeriesEnsemble.describe(saved.metadata())
                + "; ONNX export takes one network: train with --members 1 --transform none, or"
                + " with --split or --refit");
      }
      OnnxExport.save(saved.model(), out, saved.metadata());
    }
    spec.commandLine().getOut().println("exported " + model + " to " + out);
    return ExitCodes.OK;
  }
}
