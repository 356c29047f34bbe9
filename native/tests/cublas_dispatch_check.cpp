// The cuBLAS loader and ts_cuda_matmul's dispatch (native/cuda/cublas_gemm.cu), checked on a
// machine with no GPU and no cuBLAS: built against the CPU emulation of the kernels, with the
// loader left on (TIMESTEP_EMULATION_WITH_FAKE_CUBLAS) and a fake libcublas (tests/cublas_fake)
// offered through TS_CUBLAS_LIBRARY. One scenario per run, since loading happens once a process:
//   loaded          the fake loads; every transpose/accumulate combination goes to it in mode
//                   CUBLAS and to the own kernel in mode OWN, both matching ts_cpu_matmul; AUTO
//                   takes the fake from 2^21 multiply-adds on; the math mode is never TF32
//   wrong-version   a fake of major version 12 is refused, and says so
//   missing-symbol  a fake without cublasSgemm_v2 is refused, and says so
//   bad-path        TS_CUBLAS_LIBRARY names no file: said so, and the search order is listed
//   python-package  no TS_CUBLAS_LIBRARY; the fake sits where PyTorch bundles cuBLAS
//                   ($VIRTUAL_ENV/lib/python3.*/site-packages/torch/lib): found there, and the
//                   description names that file
//   emulation       linked to the real emulated library: the fake is never loaded
// In the refusal scenarios the search goes on to the system's libcublas.so.13; where one exists
// it may load, and then only its description is checked (it cannot work on host memory).
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "timestep/cpu_api.h"
#include "timestep/cuda_api.h"

namespace {

int g_failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "PASS" : "FAIL", what.c_str());
  if (!ok) ++g_failures;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string library_text(int* loaded) {
  char text[1024];
  *loaded = ts_cuda_gemm_library(text, sizeof text);
  std::printf("GEMM library: %s\n", text);
  return text;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The fake's own counters, reached through the handle the loader already holds open.
struct FakeCounters {
  int (*calls)() = nullptr;
  int (*math_mode)() = nullptr;
};

FakeCounters fake_counters(const std::string& path) {
  FakeCounters f;
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (library == nullptr) return f;
  f.calls = reinterpret_cast<int (*)()>(dlsym(library, "fake_cublas_sgemm_calls"));
  f.math_mode = reinterpret_cast<int (*)()>(dlsym(library, "fake_cublas_math_mode"));
  return f;
}

std::vector<float> random_vec(std::mt19937& rng, long long n) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(std::max(1LL, n)));
  for (float& x : v) x = dist(rng);
  return v;
}

double normwise_error(const std::vector<float>& want, const std::vector<float>& got) {
  double diff = 0.0, ref = 0.0;
  for (size_t i = 0; i < want.size(); ++i) {
    diff = std::max(diff, std::fabs(static_cast<double>(got[i]) - want[i]));
    ref = std::max(ref, std::fabs(static_cast<double>(want[i])));
  }
  return std::isnan(diff) ? NAN : diff / std::max(1e-6, ref);
}

// One product through ts_cuda_matmul (device pointers are host pointers here) against
// ts_cpu_matmul; `want_calls` is how many products the fake must have seen for it.
void check_product(const FakeCounters& fake, int m, int n, int k, int ta, int tb, int acc,
                   int want_calls, const char* mode_name) {
  std::mt19937 rng(1000u + m * 7u + n * 13u + k * 17u + ta * 2u + tb * 4u + acc);
  const std::vector<float> a = random_vec(rng, 1LL * m * k), b = random_vec(rng, 1LL * k * n);
  std::vector<float> want = random_vec(rng, 1LL * m * n), got = want;
  const int before = fake.calls ? fake.calls() : 0;
  const int status = ts_cuda_matmul(a.data(), b.data(), got.data(), m, n, k, ta, tb, acc);
  const int calls = (fake.calls ? fake.calls() : 0) - before;
  ts_cpu_matmul(a.data(), b.data(), want.data(), m, n, k, ta, tb, acc);
  const double err = normwise_error(want, got);
  char what[200];
  std::snprintf(what, sizeof what,
                "%s matmul %dx%dx%d%s%s%s: status %d, %d cuBLAS call(s), error %.2g", mode_name, m,
                n, k, ta ? " tA" : "", tb ? " tB" : "", acc ? " acc" : "", status, calls, err);
  expect(status == TS_OK && calls == want_calls && err <= 1e-5, what);
}

void scenario_loaded() {
  const std::string path = env("TS_CUBLAS_LIBRARY");
  int loaded = 0;
  const std::string text = library_text(&loaded);
  expect(loaded == 1 && text.rfind("cuBLAS 130002 from ", 0) == 0 && contains(text, path),
         "the fake cuBLAS 13 loads from TS_CUBLAS_LIBRARY and is described");
  const FakeCounters fake = fake_counters(path);
  expect(fake.calls && fake.math_mode, "the fake's counters are reachable");
  if (loaded != 1 || !fake.calls || !fake.math_mode)
    return;  // the products below would not reach it
  expect(fake.math_mode() == 0 || fake.math_mode() == 2,
         "math mode is DEFAULT or PEDANTIC, never TF32 (3)");

  expect(ts_cuda_gemm_set_mode(3) == TS_ERR_INVALID_ARGUMENT &&
             contains(ts_cuda_last_error(), "gemm_set_mode"),
         "mode 3 is refused with a message naming gemm_set_mode");
  expect(ts_cuda_gemm_set_mode(-1) == TS_ERR_INVALID_ARGUMENT, "mode -1 is refused");

  struct Shape {
    int m, n, k;
  };
  const Shape shapes[] = {{1, 1, 1}, {3, 17, 33}, {33, 3, 17}, {17, 33, 1}, {65, 63, 129}};
  for (const Shape& s : shapes)
    for (int ta = 0; ta <= 1; ++ta)
      for (int tb = 0; tb <= 1; ++tb)
        for (int acc = 0; acc <= 1; ++acc) {
          expect(ts_cuda_gemm_set_mode(TS_GEMM_CUBLAS) == TS_OK, "set mode CUBLAS");
          check_product(fake, s.m, s.n, s.k, ta, tb, acc, 1, "CUBLAS");
          expect(ts_cuda_gemm_set_mode(TS_GEMM_OWN) == TS_OK, "set mode OWN");
          check_product(fake, s.m, s.n, s.k, ta, tb, acc, 0, "OWN");
        }
  // Empty products stay on the own path in every mode (k = 0 without accumulate writes zeros).
  expect(ts_cuda_gemm_set_mode(TS_GEMM_CUBLAS) == TS_OK, "set mode CUBLAS");
  check_product(fake, 5, 7, 0, 0, 0, 0, 0, "CUBLAS");
  check_product(fake, 0, 5, 3, 0, 0, 1, 0, "CUBLAS");

  // AUTO: the fake from 2^21 multiply-adds on, the own kernel below.
  expect(ts_cuda_gemm_set_mode(TS_GEMM_AUTO) == TS_OK, "set mode AUTO");
  check_product(fake, 3, 17, 33, 0, 0, 0, 0, "AUTO");
  check_product(fake, 127, 128, 128, 1, 0, 1, 0, "AUTO");  // 2^21 - 2^14
  check_product(fake, 128, 128, 128, 0, 1, 0, 1, "AUTO");  // 2^21
  check_product(fake, 1, 1 << 11, 1 << 10, 0, 0, 0, 1, "AUTO");
}

// A refused fake: the reason is in the description; with no other cuBLAS, nothing loads and
// mode CUBLAS falls back to the own kernel.
void scenario_refused(const std::string& reason) {
  int loaded = 0;
  const std::string text = library_text(&loaded);
  expect(contains(text, reason), "the description says: " + reason);
  const FakeCounters fake = fake_counters(env("TS_CUBLAS_LIBRARY"));
  if (loaded == 1) {
    expect(text.rfind("cuBLAS 13", 0) == 0, "a system cuBLAS 13 loaded instead");
    return;
  }
  expect(text.rfind("none: no usable libcublas.so.13 (tried ", 0) == 0,
         "nothing loaded, and the text says so");
  expect(ts_cuda_gemm_set_mode(TS_GEMM_CUBLAS) == TS_OK, "set mode CUBLAS");
  check_product(fake, 65, 63, 129, 1, 1, 1, 0, "CUBLAS without cuBLAS");
}

void scenario_bad_path() {
  int loaded = 0;
  const std::string path = env("TS_CUBLAS_LIBRARY");
  const std::string text = library_text(&loaded);
  expect(contains(text, "TS_CUBLAS_LIBRARY=" + path + " failed"),
         "the failed TS_CUBLAS_LIBRARY is named");
  if (loaded == 1) return;
  // The search order: TS_CUBLAS_LIBRARY, the loader path, $CUDA_HOME, /usr/local/cuda.
  const std::string order[] = {path, "libcublas.so.13 on the loader path",
                               env("CUDA_HOME") + "/lib64/libcublas.so.13",
                               "/usr/local/cuda/lib64/libcublas.so.13", "/usr/local/cuda/targets/"};
  size_t at = text.find("(tried ");
  bool in_order = at != std::string::npos;
  for (const std::string& item : order) {
    const size_t next = in_order ? text.find(item, at) : std::string::npos;
    in_order = next != std::string::npos;
    at = next;
  }
  expect(in_order, "the places tried are listed in the search order");
}

void scenario_python_package() {
  int loaded = 0;
  const std::string text = library_text(&loaded);
  const std::string dir = env("VIRTUAL_ENV") + "/lib/python3.12/site-packages/torch/lib/";
  if (loaded == 1 && !contains(text, dir)) {
    expect(text.rfind("cuBLAS 13", 0) == 0, "a system cuBLAS 13 loaded first: " + text);
    return;
  }
  expect(loaded == 1 && contains(text, dir + "libcublas.so.13"),
         "PyTorch's bundled copy is found and named: " + text);
  const FakeCounters fake = fake_counters(dir + "libcublas.so.13");
  expect(ts_cuda_gemm_set_mode(TS_GEMM_CUBLAS) == TS_OK, "set mode CUBLAS");
  check_product(fake, 33, 3, 17, 0, 1, 0, 1, "CUBLAS from the Python package");
}

void scenario_emulation() {
  int loaded = 0;
  const std::string text = library_text(&loaded);
  expect(loaded == 0 && text.rfind("none: CPU emulation", 0) == 0,
         "the emulated library never loads cuBLAS");
  expect(fake_counters(env("TS_CUBLAS_LIBRARY")).calls == nullptr,
         "the offered fake was not even opened");
  expect(ts_cuda_gemm_set_mode(TS_GEMM_CUBLAS) == TS_OK, "set mode CUBLAS");
  check_product(FakeCounters{}, 65, 63, 129, 0, 1, 0, 0, "CUBLAS under emulation");
}

}  // namespace

int main(int argc, char** argv) {
  const std::string scenario = argc > 1 ? argv[1] : "";
  if (scenario == "loaded")
    scenario_loaded();
  else if (scenario == "wrong-version")
    scenario_refused(env("TS_CUBLAS_LIBRARY") + " is cuBLAS 120804, not major version 13");
  else if (scenario == "missing-symbol")
    scenario_refused(env("TS_CUBLAS_LIBRARY") + " lacks cublasSgemm_v2");
  else if (scenario == "bad-path")
    scenario_bad_path();
  else if (scenario == "python-package")
    scenario_python_package();
  else if (scenario == "emulation")
    scenario_emulation();
  else {
    std::printf(
        "usage: cublas_dispatch_check loaded|wrong-version|missing-symbol|bad-path|python-package|"
        "emulation\n");
    return 2;
  }
  std::printf("%d failure(s)\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
