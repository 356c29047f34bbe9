package dev.timestep.backend;

/**
 * One native kernel library (C ABI in native/include/timestep/*_api.h), seen from Java:
 * buffers are raw addresses (host or device), every call returns a TS_* status.
 * {@code cpu} and {@code cuda} implement it with the same arguments, so one
 * {@link NativeBackend} drives both.
 */
public interface Kernels {
  String lastError();

  int fill(long x, long n, float value);

  int copy(long src, long dst, long n);

  int accumulate(long src, long dst, long n);

  int matmul(long a, long b, long c, int m, int n, int k, int transA, int transB, int accumulate);

  int addBias(long x, long bias, long y, long rows, int cols);

  int biasGrad(long dy, long dbias, long rows, int cols);

  int add(long a, long b, long y, long n);

  int mul(long a, long b, long y, long n);

  int mulGrad(long dy, long other, long dx, long n);

  int activation(int kind, long x, long y, long n);

  int activationGrad(int kind, long y, long dy, long dx, long n);

  int timeStep(long x, long y, int batch, int steps, int features, int step);

  int timeStepGrad(long dy, long dx, int batch, int steps, int features, int step);

  int mse(long pred, long target, long loss, long n);

  int mseGrad(long pred, long target, long dloss, long dpred, long n);

  int adam(long param, long grad, long m, long v, long n, float lrT, float beta1, float beta2, float eps);

  /** {@code rows} is a host array; the library stages it where its kernels need it. */
  int gatherRows(long src, int[] rows, int count, long rowLen, long dst);
}
