// A stand-in for libcublas.so with only the entry points native/cuda/cublas_gemm.cu loads, for
// the loader and dispatch check (cublas_dispatch_check.cpp) on machines without cuBLAS or a GPU.
// cublasSgemm_v2 follows the column-major BLAS contract on HOST memory, argument checks
// included, so a wrong transpose flag or leading dimension in the caller gives a wrong result or
// CUBLAS_STATUS_INVALID_VALUE here as it would on a GPU.
// Build variants: FAKE_CUBLAS_VERSION (default 130002), FAKE_CUBLAS_NO_SGEMM (omit sgemm).
#include <algorithm>

#ifndef FAKE_CUBLAS_VERSION
#define FAKE_CUBLAS_VERSION 130002
#endif

namespace {
constexpr int kSuccess = 0;
constexpr int kNotInitialized = 1;
constexpr int kInvalidValue = 7;

struct Handle {
  int math_mode = 0;
};
Handle* g_handle = nullptr;  // the last one created
int g_sgemm_calls = 0;
int g_last_math_mode = -1;
}  // namespace

extern "C" {

int cublasCreate_v2(void** handle) {
  if (handle == nullptr) return kInvalidValue;
  g_handle = new Handle();
  *handle = g_handle;
  return kSuccess;
}

int cublasDestroy_v2(void* handle) {
  if (handle == nullptr) return kNotInitialized;
  if (handle == g_handle) g_handle = nullptr;
  delete static_cast<Handle*>(handle);
  return kSuccess;
}

int cublasGetVersion_v2(void* handle, int* version) {
  if (handle == nullptr) return kNotInitialized;
  if (version == nullptr) return kInvalidValue;
  *version = FAKE_CUBLAS_VERSION;
  return kSuccess;
}

int cublasSetMathMode(void* handle, int mode) {
  if (handle == nullptr) return kNotInitialized;
  static_cast<Handle*>(handle)->math_mode = mode;
  g_last_math_mode = mode;
  return kSuccess;
}

#ifndef FAKE_CUBLAS_NO_SGEMM
// C[m,n] = alpha op(A)[m,k] op(B)[k,n] + beta C, column-major; C is not read when beta is 0.
int cublasSgemm_v2(void* handle, int transa, int transb, int m, int n, int k, const float* alpha,
                   const float* a, int lda, const float* b, int ldb, const float* beta, float* c,
                   int ldc) {
  if (handle == nullptr) return kNotInitialized;
  const bool ta = transa != 0, tb = transb != 0;
  if (transa < 0 || transa > 2 || transb < 0 || transb > 2 || m < 0 || n < 0 || k < 0)
    return kInvalidValue;
  if (lda < std::max(1, ta ? k : m) || ldb < std::max(1, tb ? n : k) || ldc < std::max(1, m))
    return kInvalidValue;
  if (alpha == nullptr || beta == nullptr) return kInvalidValue;
  ++g_sgemm_calls;
  for (int j = 0; j < n; ++j) {
    for (int i = 0; i < m; ++i) {
      double sum = 0.0;
      for (int p = 0; p < k; ++p) {
        const float av =
            ta ? a[p + static_cast<long long>(i) * lda] : a[i + static_cast<long long>(p) * lda];
        const float bv =
            tb ? b[j + static_cast<long long>(p) * ldb] : b[p + static_cast<long long>(j) * ldb];
        sum += static_cast<double>(av) * bv;
      }
      float& out = c[i + static_cast<long long>(j) * ldc];
      const double base = *beta == 0.0f ? 0.0 : static_cast<double>(*beta) * out;
      out = static_cast<float>(*alpha * sum + base);
    }
  }
  return kSuccess;
}
#endif

// For the check: how many products ran here, and the math mode last set.
int fake_cublas_sgemm_calls() { return g_sgemm_calls; }
int fake_cublas_math_mode() { return g_last_math_mode; }

}  // extern "C"
