// The optional cuBLAS path of ts_cuda_matmul, and the GEMM mode of the C ABI.
//
// cuBLAS is never a link-time dependency (the build machines have none): the first product that
// may use it dlopen()s libcublas.so.13 (TS_CUBLAS_LIBRARY, the loader path, the CUDA toolkit,
// then the copies Python packages bundle: PyTorch's, the NVIDIA wheels'), resolves the five
// entry points below, creates a handle on
// the current device and accepts the library only when its major version is 13 (the CUDA runtime
// this library is built with). A library that is missing or unusable is reported by
// ts_cuda_gemm_library, and the own kernels (matmul.cu) do every product.
// The CPU emulation build (native/tests/emulation) compiles this file too; there cuBLAS would
// get host pointers as device pointers, so it is never loaded (TIMESTEP_CUDA_EMULATION).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "cublas_gemm.cuh"
#include "timestep/cuda_api.h"

#ifndef TIMESTEP_CUDA_EMULATION
#include <dlfcn.h>
#include <glob.h>
#include <unistd.h>
#endif

namespace timestep::cuda {
namespace {

// Below this many multiply-adds AUTO keeps the own kernel: one launch with no handle lookup and
// no lock starts sooner, and small products are launch-bound either way.
constexpr long long kAutoMinMultiplyAdds = 1LL << 21;

std::atomic<int> g_mode{TS_GEMM_AUTO};

#ifdef TIMESTEP_CUDA_EMULATION

bool library_loaded() { return false; }
std::string library_description() {
  return "none: CPU emulation (cuBLAS is never loaded in this build)";
}

#else

// ---- the part of cuBLAS's C API used here, declared by hand (no cuBLAS headers on the build
// machines). Values and signatures are those of cublas_api.h in CUDA 13. -----------------------
using CublasHandle = void*;            // cublasHandle_t: an opaque pointer
constexpr int kCublasSuccess = 0;      // CUBLAS_STATUS_SUCCESS
constexpr int kCublasAllocFailed = 3;  // CUBLAS_STATUS_ALLOC_FAILED
constexpr int kCublasOpN = 0;          // CUBLAS_OP_N
constexpr int kCublasOpT = 1;          // CUBLAS_OP_T
// CUBLAS_DEFAULT_MATH: float32 products are computed in float32. TF32 would take
// CUBLAS_TF32_TENSOR_OP_MATH (3), which this file never sets: it is ~1e-3 off the CPU results.
constexpr int kCublasDefaultMath = 0;
constexpr int kCublasMajor = 13;  // cublasGetVersion gives major * 10000 + minor * 100 + patch
constexpr const char* kSoname = "libcublas.so.13";

using CreateFn = int (*)(CublasHandle*);
using DestroyFn = int (*)(CublasHandle);
using GetVersionFn = int (*)(CublasHandle, int*);
using SetMathModeFn = int (*)(CublasHandle, int);
using SgemmFn = int (*)(CublasHandle, int, int, int, int, int, const float*, const float*, int,
                        const float*, int, const float*, float*, int);

const char* status_name(int status) {
  switch (status) {
    case 0: return "CUBLAS_STATUS_SUCCESS";
    case 1: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case 3: return "CUBLAS_STATUS_ALLOC_FAILED";
    case 7: return "CUBLAS_STATUS_INVALID_VALUE";
    case 8: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case 11: return "CUBLAS_STATUS_MAPPING_ERROR";
    case 13: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case 14: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case 15: return "CUBLAS_STATUS_NOT_SUPPORTED";
    default: return "unknown cuBLAS status";
  }
}

constexpr int kMaxDevices = 64;
enum LoadState { kUntried = 0, kLoaded = 1, kFailed = 2 };

struct Cublas {
  CreateFn create = nullptr;
  DestroyFn destroy = nullptr;
  GetVersionFn get_version = nullptr;
  SetMathModeFn set_math_mode = nullptr;
  SgemmFn sgemm = nullptr;
};

// Leaked on purpose, like the scratch buffers (common.cuh): handles are never destroyed at exit,
// when the CUDA runtime may already be gone, and a library that was called into is never
// dlclose()d (its static CUDA runtime registered exit handlers).
struct State {
  std::mutex mutex;  // loading, handle creation and every cuBLAS call (handles are shared)
  std::atomic<int> load_state{kUntried};
  Cublas api;
  std::string description;
  CublasHandle handles[kMaxDevices] = {};
};

State& state() {
  static State* instance = new State();
  return *instance;
}

void append(std::string& list, const std::string& item) {
  if (!list.empty()) list += "; ";
  list += item;
}

// Resolves every entry point; empty on success, else the name of the first one missing.
std::string resolve(void* library, Cublas& api) {
  struct Entry {
    const char* name;
    void** slot;
  };
  const Entry entries[] = {{"cublasCreate_v2", reinterpret_cast<void**>(&api.create)},
                           {"cublasDestroy_v2", reinterpret_cast<void**>(&api.destroy)},
                           {"cublasGetVersion_v2", reinterpret_cast<void**>(&api.get_version)},
                           {"cublasSetMathMode", reinterpret_cast<void**>(&api.set_math_mode)},
                           {"cublasSgemm_v2", reinterpret_cast<void**>(&api.sgemm)}};
  for (const Entry& e : entries) {
    *e.slot = dlsym(library, e.name);
    if (*e.slot == nullptr) return e.name;
  }
  return "";
}

// A handle on `device` (the current one) in float32 math on the legacy default stream (the
// handle's default, and where every kernel of this library runs). Caller holds the mutex.
int create_handle(State& s, int device, CublasHandle* out, int* cublas_status) {
  *out = nullptr;
  CublasHandle handle = nullptr;
  int status = s.api.create(&handle);
  if (status == kCublasSuccess) {
    status = s.api.set_math_mode(handle, kCublasDefaultMath);
    if (status != kCublasSuccess) s.api.destroy(handle);
  }
  *cublas_status = status;
  if (status != kCublasSuccess)
    return status == kCublasAllocFailed ? TS_ERR_OUT_OF_MEMORY : TS_ERR_CUDA;
  s.handles[device] = handle;
  *out = handle;
  return TS_OK;
}

// Where a resolved symbol came from: the file the loader actually picked for a bare soname.
std::string file_of(void* symbol, const std::string& fallback) {
  Dl_info info{};
  if (dladdr(symbol, &info) != 0 && info.dli_fname != nullptr && info.dli_fname[0] == '/')
    return info.dli_fname;
  return fallback;
}

// Directories of Python packages that bundle cuBLAS, which exist here: the NVIDIA wheels
// (nvidia/cu13/lib, nvidia/cublas/lib) and PyTorch's own copy (torch/lib), under the active
// virtual or conda environment, the user's site and the system's.
std::vector<std::string> python_package_dirs() {
  std::vector<std::string> prefixes;
  for (const char* name : {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') prefixes.push_back(value);
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') prefixes.push_back(std::string(home) + "/.local");
  for (const char* prefix : {"/usr/local", "/usr", "/opt/conda"}) prefixes.push_back(prefix);
  std::vector<std::string> dirs;
  for (const std::string& prefix : prefixes)
    for (const char* packages : {"site-packages", "dist-packages"})
      for (const char* sub : {"nvidia/cu13/lib", "nvidia/cublas/lib", "torch/lib"}) {
        const std::string pattern = prefix + "/lib/python3*/" + packages + "/" + sub;
        glob_t found{};
        if (glob(pattern.c_str(), GLOB_ONLYDIR, nullptr, &found) == 0)
          for (size_t i = 0; i < found.gl_pathc; ++i) dirs.push_back(found.gl_pathv[i]);
        globfree(&found);
      }
  return dirs;
}

// Tries the candidates in order; the first that opens, has every entry point and is major
// version 13 wins. Caller holds the mutex. Sets load_state and description.
void load(State& s) {
  struct Candidate {
    std::string path;
    bool from_env;
  };
  std::vector<Candidate> candidates;
  const char* env = std::getenv("TS_CUBLAS_LIBRARY");
  if (env != nullptr && env[0] != '\0') candidates.push_back({env, true});
  candidates.push_back({kSoname, false});
  auto add_dir = [&](const std::string& dir) {
    const std::string path = dir + "/" + kSoname;
    for (const Candidate& c : candidates)
      if (c.path == path) return;
    candidates.push_back({path, false});
  };
  const char* cuda_home = std::getenv("CUDA_HOME");
  if (cuda_home != nullptr && cuda_home[0] != '\0') add_dir(std::string(cuda_home) + "/lib64");
  add_dir("/usr/local/cuda/lib64");
#if defined(__aarch64__)
  add_dir("/usr/local/cuda/targets/sbsa-linux/lib");
#else
  add_dir("/usr/local/cuda/targets/x86_64-linux/lib");
#endif
  for (const std::string& dir : python_package_dirs()) add_dir(dir);

  int device = 0;
  const cudaError_t device_err = cudaGetDevice(&device);
  if (device_err != cudaSuccess || device < 0 || device >= kMaxDevices) {
    cudaGetLastError();
    s.description =
        std::string("none: no CUDA device to create a cuBLAS handle on (cudaGetDevice: ") +
        (device_err != cudaSuccess ? cudaGetErrorString(device_err)
                                   : "device beyond the supported") +
        ")";
    s.load_state.store(kFailed, std::memory_order_release);
    return;
  }

  std::string tried, problems;
  for (const Candidate& c : candidates) {
    append(tried, c.path == kSoname ? std::string(kSoname) + " on the loader path" : c.path);
    void* library = dlopen(c.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* why = dlerror();
      // A file that exists but does not load (wrong architecture, a missing dependency) is worth
      // a line; a plain "not there" is covered by the list of places tried.
      if (c.from_env)
        append(problems,
               "TS_CUBLAS_LIBRARY=" + c.path + " failed: " + (why ? why : "dlopen failed"));
      else if (c.path[0] == '/' && access(c.path.c_str(), F_OK) == 0)
        append(problems, c.path + ": " + (why ? why : "dlopen failed"));
      continue;
    }
    Cublas api;
    const std::string missing = resolve(library, api);
    if (!missing.empty()) {
      append(problems, c.path + " lacks " + missing);
      dlclose(library);  // nothing of it has run yet
      continue;
    }
    const std::string file = file_of(reinterpret_cast<void*>(api.sgemm), c.path);
    s.api = api;
    CublasHandle handle = nullptr;
    int status = 0;
    if (create_handle(s, device, &handle, &status) != TS_OK) {
      // Not the library's fault (no usable device, no memory): other candidates would fail alike.
      char text[256];
      std::snprintf(text, sizeof text,
                    "none: cuBLAS from %s cannot start on device %d: status %d (%s)", file.c_str(),
                    device, status, status_name(status));
      s.description = text;
      if (!problems.empty()) s.description += " (" + problems + ")";
      s.load_state.store(kFailed, std::memory_order_release);
      return;
    }
    int version = 0;
    status = api.get_version(handle, &version);
    if (status != kCublasSuccess || version / 10000 != kCublasMajor) {
      s.api.destroy(handle);
      s.handles[device] = nullptr;
      char text[256];
      if (status != kCublasSuccess)
        std::snprintf(text, sizeof text, "%s: cublasGetVersion_v2 failed with status %d",
                      file.c_str(), status);
      else
        std::snprintf(text, sizeof text, "%s is cuBLAS %d, not major version %d", file.c_str(),
                      version, kCublasMajor);
      append(problems, text);
      continue;  // stays loaded: it ran (see State)
    }
    char text[64];
    std::snprintf(text, sizeof text, "cuBLAS %d from ", version);
    s.description = text + file;
    if (!problems.empty()) s.description += " (" + problems + ")";
    s.load_state.store(kLoaded, std::memory_order_release);
    return;
  }
  if (problems.empty())
    s.description = std::string("none: ") + kSoname + " not found (tried " + tried + ")";
  else
    s.description =
        std::string("none: no usable ") + kSoname + " (tried " + tried + "); " + problems;
  s.load_state.store(kFailed, std::memory_order_release);
}

bool library_loaded() {
  State& s = state();
  int now = s.load_state.load(std::memory_order_acquire);
  if (now == kUntried) {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.load_state.load(std::memory_order_relaxed) == kUntried) load(s);
    now = s.load_state.load(std::memory_order_relaxed);
  }
  return now == kLoaded;
}

// Call after library_loaded().
std::string library_description() {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.description;
}

#endif  // TIMESTEP_CUDA_EMULATION

}  // namespace

bool cublas_gemm_should_run(int m, int n, int k) {
  const int mode = g_mode.load(std::memory_order_relaxed);
  if (mode == TS_GEMM_OWN || m <= 0 || n <= 0 || k <= 0) return false;
  if (mode == TS_GEMM_AUTO) {
    // m*n*k may pass 2^63; m*n cannot, and the product with k is only formed while m*n < 2^21.
    const long long mn = static_cast<long long>(m) * n;
    if (mn < kAutoMinMultiplyAdds && mn * k < kAutoMinMultiplyAdds) return false;
  }
  return library_loaded();
}

#ifdef TIMESTEP_CUDA_EMULATION

int cublas_gemm(const float*, const float*, float*, int, int, int, bool, bool, bool) {
  return fail(error_slot(), TS_ERR_CUDA, "matmul: cuBLAS is never used in the CPU emulation");
}

#else

// Row-major C[m,n] is column-major C^T[n,m] (leading dimension n), so C = op(A).op(B) is the
// column-major product C^T = op(B)^T.op(A)^T with B first. A row-major [r,c] operand read as
// column-major is its transpose with leading dimension c; hence b's is n (stored [k,n]) or k
// (stored [n,k] when trans_b), a's is k (stored [m,k]) or m (stored [k,m] when trans_a), and each
// operand keeps its own transpose flag.
int cublas_gemm(const float* a, const float* b, float* c, int m, int n, int k, bool trans_a,
                bool trans_b, bool accumulate) {
  int device = 0;
  TS_CUDA_TRY(check(cudaGetDevice(&device), "matmul: cudaGetDevice"));
  if (device < 0 || device >= kMaxDevices)
    return fail(error_slot(), TS_ERR_CUDA, "matmul: device %d is beyond the %d supported", device,
                kMaxDevices);
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  CublasHandle handle = s.handles[device];
  if (handle == nullptr) {
    int status = 0;
    const int result = create_handle(s, device, &handle, &status);
    if (result != TS_OK)
      return fail(error_slot(), result,
                  "matmul: cublasCreate_v2 on device %d failed with status %d (%s)", device, status,
                  status_name(status));
  }
  const float alpha = 1.0f;
  const float beta =
      accumulate ? 1.0f : 0.0f;  // beta 0: c is not read, so stale NaNs do not leak in
  const int status =
      s.api.sgemm(handle, trans_b ? kCublasOpT : kCublasOpN, trans_a ? kCublasOpT : kCublasOpN, n,
                  m, k, &alpha, b, trans_b ? k : n, a, trans_a ? m : k, &beta, c, n);
  if (status != kCublasSuccess)
    return fail(error_slot(), status == kCublasAllocFailed ? TS_ERR_OUT_OF_MEMORY : TS_ERR_CUDA,
                "matmul: cublasSgemm_v2 (m=%d n=%d k=%d%s%s) failed with status %d (%s)", m, n, k,
                trans_a ? " trans_a" : "", trans_b ? " trans_b" : "", status, status_name(status));
  return TS_OK;
}

#endif  // TIMESTEP_CUDA_EMULATION

}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_gemm_set_mode(int mode) {
  TS_CUDA_REQUIRE(mode == TS_GEMM_AUTO || mode == TS_GEMM_OWN || mode == TS_GEMM_CUBLAS,
                  "gemm_set_mode: mode %d is none of %d (auto), %d (own kernels), %d (cuBLAS)",
                  mode, TS_GEMM_AUTO, TS_GEMM_OWN, TS_GEMM_CUBLAS);
  g_mode.store(mode, std::memory_order_relaxed);
  return TS_OK;
}

int ts_cuda_gemm_library(char* text, int capacity) {
  const bool loaded = library_loaded();
  if (text != nullptr && capacity > 0)
    std::snprintf(text, static_cast<size_t>(capacity), "%s", library_description().c_str());
  return loaded ? 1 : 0;
}

}  // extern "C"
