package dev.timestep.backend.cpu;

import dev.timestep.backend.NativeBackend;
import dev.timestep.tensor.Storage;
import dev.timestep.tensor.Tensor;
import org.bytedeco.javacpp.FloatPointer;

/** The native C++ backend: every op is one JNI call into libtimestep_cpu. */
public final class CpuBackend extends NativeBackend {
  public static final String NAME = "cpu";
  private static volatile CpuBackend instance;

  private CpuBackend() {
    super(new CpuKernels());
  }

  /**
   * The CPU backend, loading the native library on first use.
   *
   * @throws LinkageError when the native library cannot load on this platform
   */
  public static CpuBackend get() {
    if (instance == null) {
      synchronized (CpuBackend.class) {
        if (instance == null) {
          CpuKernels.load();
          instance = new CpuBackend();
        }
      }
    }
    return instance;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "native C++ (libtimestep_cpu, " + System.getProperty("os.arch") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores)";
  }

  /** Bytes of native memory currently held by CPU-backend tensors in this process. */
  public static long liveNativeBytes() {
    return NativeStorage.LIVE_BYTES.get();
  }

  @Override
  protected long address(Tensor t) {
    return ((NativeStorage) t.storage()).address(t.offset());
  }

  @Override
  protected Storage newStorage(long floats) {
    return new NativeStorage(floats);
  }

  @Override
  protected void runUpload(float[] src, Tensor dst) {
    // A fresh non-owning view carries the position, so concurrent copies never share state.
    new FloatPointer(((NativeStorage) dst.storage()).pointer()).position(dst.offset()).put(src, 0, src.length);
  }

  @Override
  protected void runDownload(Tensor src, float[] dst) {
    new FloatPointer(((NativeStorage) src.storage()).pointer()).position(src.offset()).get(dst, 0, dst.length);
  }
}
