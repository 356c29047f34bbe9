package dev.timestep.cli;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.io.ModelFile;
import dev.timestep.io.SavedModel;
import dev.timestep.nn.Layer;
import dev.timestep.onnx.OnnxImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import}: an ONNX model (from PyTorch's exporter, say) as a Timestep model file. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Turn an ONNX model (opsets 11 to 20; LSTM, GRU, RNN, 1-D Conv, Gemm/MatMul and the reshaping "
          + "exporters put around them) into a Timestep model file, which forecast, predict and "
          + "export then read. Unsupported operators are all named in one error, and nothing is "
          + "written."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model to import.")
  Path onnx;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.tsm",
      description = "The Timestep model file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    InputFiles.check("MODEL.onnx", onnx, "an ONNX model file");
    OutputFiles.check("--out", out);
    // the reference backend: converting a file needs no kernels
    try (SavedModel imported = OnnxImport.load(onnx, ReferenceBackend.float32())) {
      ModelFile.save(imported.model(), out, imported.metadata());
      String layers =
          imported.model().layers().stream().map(Layer::name).collect(Collectors.joining(", "));
      spec.commandLine().getOut().println("imported " + onnx + " as " + layers + ": wrote " + out);
    }
    return ExitCodes.OK;
  }
}
