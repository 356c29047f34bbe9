// The CUDA device: the table of this library's op implementations, in ops.h's order.
#include "timestep/cuda_api.h"

namespace {
const ts_ops kCudaOps = {TS_OPS(TS_OPS_ENTRY_CUDA_)};
const ts_device kCudaDevice = {&kCudaOps, ts_cuda_last_error, "cuda"};
}  // namespace

extern "C" const ts_device* ts_cuda_device(void) { return &kCudaDevice; }
