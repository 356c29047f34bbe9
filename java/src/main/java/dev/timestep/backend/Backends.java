package dev.timestep.backend;

import dev.timestep.backend.cpu.CpuBackend;
import dev.timestep.backend.cuda.CudaBackend;
import dev.timestep.backend.cuda.CudaProbe;
import dev.timestep.backend.reference.ReferenceBackend;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a backend. {@link #auto()} prefers CUDA, then native CPU, then the reference, never
 * throws, and logs its choice once. The system property {@value #PROPERTY} (or the CLI's {@code
 * --backend}) forces one; forcing one that cannot run here is a clear error.
 */
public final class Backends {
  /** System property that forces a backend: auto, cuda, cpu or reference. */
  public static final String PROPERTY = "timestep.backend";

  private static final System.Logger LOG = System.getLogger("dev.timestep.backend");
  private static volatile Choice autoChoice;

  private Backends() {}

  /** A backend and why it was chosen. */
  public record Choice(Backend backend, String reason) {}

  /** The backend named by {@value #PROPERTY}, or the automatic choice when it is unset/auto. */
  public static Backend auto() {
    String forced = System.getProperty(PROPERTY);
    if (forced != null && !forced.isBlank() && !forced.trim().equalsIgnoreCase("auto")) {
      return named(forced);
    }
    return autoChoice().backend();
  }

  /** The automatic choice with its reason; computed and logged once per process. */
  public static Choice autoChoice() {
    Choice c = autoChoice;
    if (c == null) {
      synchronized (Backends.class) {
        c = autoChoice;
        if (c == null) {
          c = choose();
          // Debug: a library says why once, quietly; the CLI raises this logger to show it.
          LOG.log(Level.DEBUG, "Timestep backend: {0} ({1})", c.backend().name(), c.reason());
          autoChoice = c;
        }
      }
    }
    return c;
  }

  private static Choice choose() {
    CudaProbe.Result cuda = CudaProbe.probe();
    if (cuda.usable()) {
      try {
        CudaBackend backend = CudaBackend.get();
        return new Choice(
            backend, "CUDA device " + cuda.deviceName() + ", GEMM: " + backend.gemmSummary());
      } catch (IllegalArgumentException e) {
        throw e; // a misspelt -Dtimestep.cuda.gemm is the user's to fix, not a reason to leave the
        // GPU
      } catch (Throwable t) {
        cuda = new CudaProbe.Result(false, null, t.getMessage());
      }
    }
    String why = "no CUDA: " + cuda.reason();
    try {
      return new Choice(CpuBackend.get(), why + "; using native CPU");
    } catch (Throwable t) {
      return new Choice(
          ReferenceBackend.float32(),
          why + "; native CPU library unavailable (" + t + "); using the pure-Java reference");
    }
  }

  /**
   * The backend with this name ("auto", "cuda", "cpu", "reference").
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws BackendUnavailableException when that backend cannot run here, saying why
   */
  public static Backend named(String name) {
    if (name == null) {
      throw new IllegalArgumentException("backend name must not be null");
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "auto":
        return auto(); // honours -Dtimestep.backend, so the CLI's default follows the property
      case "reference":
        return ReferenceBackend.float32();
      case "cpu":
        try {
          return CpuBackend.get();
        } catch (Throwable t) {
          throw new BackendUnavailableException(
              "the cpu backend is unavailable: its native library did not load (" + t + ")");
        }
      case "cuda":
        return CudaBackend.get();
      default:
        throw new IllegalArgumentException(
            "unknown backend '" + name + "'; expected one of auto, cuda, cpu, reference");
    }
  }

  /** One line per backend saying whether it can run here, and why not. */
  public static List<String> report() {
    List<String> lines = new ArrayList<>();
    CudaProbe.Result cuda = CudaProbe.probe();
    lines.add(
        "cuda      "
            + (cuda.usable()
                ? "available: " + cudaDescription(cuda)
                : "unavailable: " + cuda.reason()));
    try {
      lines.add("cpu       available: " + CpuBackend.get().description());
    } catch (Throwable t) {
      lines.add("cpu       unavailable: " + t);
    }
    lines.add("reference available: " + ReferenceBackend.float32().description());
    lines.add("auto      -> " + autoChoice().backend().name() + " (" + autoChoice().reason() + ")");
    return lines;
  }

  /** The device and what runs its matrix products; the device alone if the backend cannot start. */
  private static String cudaDescription(CudaProbe.Result cuda) {
    try {
      return CudaBackend.get().description();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Throwable t) {
      return cuda.deviceName() + " (the backend does not start: " + t.getMessage() + ")";
    }
  }
}
