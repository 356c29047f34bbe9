// The CUDA library as built on a machine without nvcc: every entry point exists, so the
// JNI glue links the same way, and each one reports TS_ERR_NO_CUDA.
#include <cstdio>

#include "timestep/cuda_api.h"

namespace {
int no_cuda() { return TS_ERR_NO_CUDA; }
}  // namespace

extern "C" {

const char* ts_cuda_last_error(void) { return "this Timestep build has no CUDA kernels (built without nvcc)"; }
int ts_cuda_compiled(void) { return 0; }
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
int ts_cuda_fill(float*, long long, float) { return no_cuda(); }
int ts_cuda_copy(const float*, float*, long long) { return no_cuda(); }
int ts_cuda_accumulate(const float*, float*, long long) { return no_cuda(); }
int ts_cuda_matmul(const float*, const float*, float*, int, int, int, int, int, int) { return no_cuda(); }
int ts_cuda_add_bias(const float*, const float*, float*, long long, int) { return no_cuda(); }
int ts_cuda_bias_grad(const float*, float*, long long, int) { return no_cuda(); }
int ts_cuda_add(const float*, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_mul(const float*, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_mul_grad(const float*, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_activation(int, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_activation_grad(int, const float*, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_time_step(const float*, float*, int, int, int, int) { return no_cuda(); }
int ts_cuda_time_step_grad(const float*, float*, int, int, int, int) { return no_cuda(); }
int ts_cuda_mse(const float*, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_mse_grad(const float*, const float*, const float*, float*, long long) { return no_cuda(); }
int ts_cuda_adam(float*, const float*, float*, float*, long long, float, float, float, float) { return no_cuda(); }
int ts_cuda_gather_rows(const float*, const int*, int, long long, float*) { return no_cuda(); }
int ts_cuda_layer_norm(const float*, const float*, const float*, float*, float*, float*, long long, int) {
  return no_cuda();
}
int ts_cuda_layer_norm_grad(const float*, const float*, const float*, const float*, float*, float*, float*,
                            long long, int) {
  return no_cuda();
}
int ts_cuda_batch_norm(const float*, const float*, const float*, float*, float*, float*, float*, float*, long long,
                       int) {
  return no_cuda();
}
int ts_cuda_batch_norm_grad(const float*, const float*, const float*, const float*, float*, float*, float*,
                            long long, int) {
  return no_cuda();
}
int ts_cuda_batch_norm_inference(const float*, const float*, const float*, const float*, const float*, float*,
                                 long long, int) {
  return no_cuda();
}
int ts_cuda_conv1d(const float*, const float*, const float*, float*, int, int, int, int, int, int, int, int, int,
                   int) {
  return no_cuda();
}
int ts_cuda_conv1d_grad(const float*, const float*, const float*, const float*, float*, float*, float*, int, int,
                        int, int, int, int, int, int, int, int) {
  return no_cuda();
}
int ts_cuda_rnn_forward(int, int, int, int, int, int, const float*, const float*, const float*, const float*,
                        const float*, const float*, float*, float*) {
  return no_cuda();
}
int ts_cuda_rnn_backward(int, int, int, int, int, int, const float*, const float*, const float*, const float*,
                         const float*, const float*, const float*, const float*, const float*, float*, float*, float*,
                         float*, float*, float*) {
  return no_cuda();
}
int ts_cuda_rnn_set_strategy(int) { return no_cuda(); }
int ts_cuda_rnn_last_strategy(void) { return TS_RNN_STRATEGY_AUTO; }
int ts_cuda_gemm_set_mode(int) { return no_cuda(); }
int ts_cuda_gemm_library(char* text, int capacity) {
  if (text && capacity > 0) std::snprintf(text, static_cast<size_t>(capacity), "none: built without nvcc");
  return 0;
}

}  // extern "C"
