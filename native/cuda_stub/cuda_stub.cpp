// The CUDA library as built on a machine without nvcc: the same ABI, answering "unavailable":
// ts_cuda_device() is NULL (so no op can reach it) and every other entry point exists, so the
// JNI glue links the same way, and reports TS_ERR_NO_CUDA.
#include <cstdio>

#include "timestep/cuda_api.h"

namespace {
int no_cuda() { return TS_ERR_NO_CUDA; }
}  // namespace

extern "C" {

const char* ts_cuda_last_error(void) {
  return "this Timestep build has no CUDA kernels (built without nvcc)";
}
int ts_cuda_compiled(void) { return 0; }
const ts_device* ts_cuda_device(void) { return nullptr; }
int ts_cuda_device_count(int* count) {
  if (count) *count = 0;
  return no_cuda();
}
int ts_cuda_device_name(int, char* name, int capacity) {
  if (name && capacity > 0) name[0] = '\0';
  return no_cuda();
}
int ts_cuda_set_device(int) { return no_cuda(); }
int ts_cuda_mem_info(long long*, long long*) { return no_cuda(); }
int ts_cuda_synchronize(void) { return no_cuda(); }
int ts_cuda_malloc(long long, long long*) { return no_cuda(); }
int ts_cuda_free(long long) { return no_cuda(); }
int ts_cuda_upload(float*, const float*, long long) { return no_cuda(); }
int ts_cuda_download(const float*, float*, long long) { return no_cuda(); }
int ts_cuda_rnn_set_strategy(int) { return no_cuda(); }
int ts_cuda_rnn_last_strategy(void) { return TS_RNN_STRATEGY_AUTO; }
int ts_cuda_gemm_set_mode(int) { return no_cuda(); }
int ts_cuda_gemm_library(char* text, int capacity) {
  if (text && capacity > 0)
    std::snprintf(text, static_cast<size_t>(capacity), "none: built without nvcc");
  return 0;
}

}  // extern "C"
