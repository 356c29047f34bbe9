// Time-axis helpers and row gathering on [batch, steps, features] tensors.
#include "common.cuh"
#include "timestep/cuda_api.h"

namespace timestep::cuda {
namespace {

// The three kernels walk a [rows, row_len] destination with the row_launch() geometry:
// x strides along a row, y across rows (first_row/row_stride in common.cuh).

__global__ void time_step_kernel(const float* __restrict__ x, float* __restrict__ y, int batch,
                                 int steps, int features, int step) {
  for (long long bi = first_row(); bi < batch; bi += row_stride()) {
    const float* src = x + (bi * steps + step) * features;
    for (long long f = first_index(); f < features; f += grid_stride())
      y[bi * features + f] = src[f];
  }
}

__global__ void time_step_grad_kernel(const float* __restrict__ dy, float* __restrict__ dx,
                                      int batch, int steps, int features, int step) {
  for (long long bi = first_row(); bi < batch; bi += row_stride()) {
    float* dst = dx + (bi * steps + step) * features;
    for (long long f = first_index(); f < features; f += grid_stride())
      dst[f] += dy[bi * features + f];
  }
}

__global__ void gather_rows_kernel(const float* __restrict__ src, const int* __restrict__ rows,
                                   int count, long long row_len, float* __restrict__ dst) {
  for (long long i = first_row(); i < count; i += row_stride()) {
    const float* from = src + rows[i] * row_len;
    for (long long j = first_index(); j < row_len; j += grid_stride())
      dst[i * row_len + j] = from[j];
  }
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_time_step(const float* x, float* y, int batch, int steps, int features, int step) {
  TS_CUDA_REQUIRE(x && y && batch >= 0 && steps > 0 && features > 0 && step >= 0 && step < steps,
                  "time_step: bad shape [%d, %d, %d] or step %d", batch, steps, features, step);
  if (batch == 0) return TS_OK;
  const RowLaunch launch = row_launch(batch, features);
  time_step_kernel<<<launch.grid, launch.block>>>(x, y, batch, steps, features, step);
  return check_launch("time_step");
}

int ts_cuda_time_step_grad(const float* dy, float* dx, int batch, int steps, int features,
                           int step) {
  TS_CUDA_REQUIRE(dy && dx && batch >= 0 && steps > 0 && features > 0 && step >= 0 && step < steps,
                  "time_step_grad: bad shape [%d, %d, %d] or step %d", batch, steps, features,
                  step);
  if (batch == 0) return TS_OK;
  const RowLaunch launch = row_launch(batch, features);
  time_step_grad_kernel<<<launch.grid, launch.block>>>(dy, dx, batch, steps, features, step);
  return check_launch("time_step_grad");
}

int ts_cuda_gather_rows(const float* src, const int* rows, int count, long long row_len,
                        float* dst) {
  TS_CUDA_REQUIRE(src && rows && dst && count >= 0 && row_len > 0,
                  "gather_rows: bad arguments count=%d row_len=%lld", count, row_len);
  for (int i = 0; i < count; ++i)
    TS_CUDA_REQUIRE(rows[i] >= 0, "gather_rows: negative row index %d at %d", rows[i], i);
  if (count == 0) return TS_OK;
  // rows lives in host memory: stage it in the reusable device scratch (see common.cuh).
  // cudaMemcpy from pageable memory has consumed the host array when it returns, so the
  // caller may reuse it at once; the kernel reads the staged copy in stream order.
  const size_t bytes = static_cast<size_t>(count) * sizeof(int);
  std::lock_guard<std::mutex> lock(scratch_mutex());
  void* staged = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchRowIndices, bytes, &staged));
  TS_CUDA_TRY(check(cudaMemcpy(staged, rows, bytes, cudaMemcpyHostToDevice),
                    "gather_rows: staging %d row indices", count));
  const RowLaunch launch = row_launch(count, row_len);
  gather_rows_kernel<<<launch.grid, launch.block>>>(src, static_cast<const int*>(staged), count,
                                                    row_len, dst);
  return check_launch("gather_rows");
}

}  // extern "C"
