package dev.timestep.backend.cuda;

import java.util.Locale;

/**
 * Which code runs the CUDA backend's matrix products, chosen with {@code -D}{@value #PROPERTY} and
 * applied when the backend is created. cuBLAS is never linked: libtimestep_cuda loads
 * libcublas.so.13 at run time when a product may use it, and uses its own kernels when none loads.
 */
public enum GemmMode {
  /**
   * cuBLAS for products of at least 2^21 multiply-adds when it loads; the own kernels otherwise.
   */
  AUTO("auto", 0),
  /** The library's own kernels only; cuBLAS is never loaded for a product. */
  OWN("own", 1),
  /** cuBLAS for every non-empty product when it loads; the own kernels when it does not. */
  CUBLAS("cublas", 2);

  /** System property naming the mode: auto (the default), own or cublas. */
  public static final String PROPERTY = "timestep.cuda.gemm";

  private final String text;
  private final int code;

  GemmMode(String text, int code) {
    this.text = text;
    this.code = code;
  }

  /** The property value that selects this mode. */
  public String text() {
    return text;
  }

  /** The TS_GEMM_* number of native/include/timestep/cuda_api.h. */
  int code() {
    return code;
  }

  /** The mode {@value #PROPERTY} names now (AUTO when it is unset or blank). */
  public static GemmMode fromProperty() {
    return parse(System.getProperty(PROPERTY));
  }

  /**
   * The mode a property value names: trimmed, any case; null or blank is AUTO.
   *
   * @throws IllegalArgumentException for any other value, naming the property and the choices
   */
  public static GemmMode parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (GemmMode mode : values()) {
      if (mode.text.equals(v)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "-D" + PROPERTY + "=" + value + " is not a GEMM mode; expected one of auto, own, cublas");
  }
}
