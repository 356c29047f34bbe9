// Elementwise kernels: fill/copy/accumulate, add/mul, activations, bias add and bias gradient.
// The per-element math comes from timestep/math.h, shared with the CPU loops.
#include <cstdint>

#include "common.cuh"
#include "timestep/cuda_api.h"
#include "timestep/math.h"

namespace timestep::cuda {
namespace {

__global__ void fill_kernel(float* __restrict__ x, long long n, float value) {
  for (long long i = first_index(); i < n; i += grid_stride()) x[i] = value;
}

// No __restrict__ on accumulate and the binary ops: callers may pass the same buffer twice
// (y == a, or dst == src to double), which the CPU loops allow.
__global__ void accumulate_kernel(const float* src, float* dst, long long n) {
  for (long long i = first_index(); i < n; i += grid_stride()) dst[i] += src[i];
}

__global__ void add_kernel(const float* a, const float* b, float* y, long long n) {
  for (long long i = first_index(); i < n; i += grid_stride()) y[i] = a[i] + b[i];
}

__global__ void mul_kernel(const float* a, const float* b, float* y, long long n) {
  for (long long i = first_index(); i < n; i += grid_stride()) y[i] = a[i] * b[i];
}

__global__ void mul_grad_kernel(const float* dy, const float* other, float* dx, long long n) {
  for (long long i = first_index(); i < n; i += grid_stride()) dx[i] += dy[i] * other[i];
}

// The kind is a template parameter so the switch inside activate() folds away.
template <int KIND>
__global__ void activation_kernel(const float* x, float* y, long long n) {
  for (long long i = first_index(); i < n; i += grid_stride()) y[i] = activate(KIND, x[i]);
}

template <int KIND>
__global__ void activation_grad_kernel(const float* y, const float* dy, float* dx, long long n) {
  for (long long i = first_index(); i < n; i += grid_stride())
    dx[i] += dy[i] * activation_slope(KIND, y[i]);
}

__global__ void add_bias_kernel(const float* x, const float* __restrict__ bias, float* y,
                                long long rows, int cols) {
  for (long long c = first_index(); c < cols; c += grid_stride()) {
    const float b = bias[c];
    for (long long r = static_cast<long long>(blockIdx.y) * blockDim.y + threadIdx.y; r < rows;
         r += static_cast<long long>(gridDim.y) * blockDim.y)
      y[r * cols + c] = x[r * cols + c] + b;
  }
}

// Column sums of a [rows, cols] matrix over the rows that blockIdx.y's chunk covers.
// Each thread walks its rows with a compensated (Kahan) float sum, since one thread may see
// thousands of rows; the block then folds its threadIdx.y lanes with a shared-memory tree.
// With to_partials the result goes to partials[blockIdx.y, c], otherwise it is added to out[c].
// The grid's x extent is capped, so blocks step over column groups; the loop bound is the
// same for the whole block, which keeps every thread at the barriers.
// blockDim.x * blockDim.y must be kBlock and blockDim.y a power of two (see row_launch).
__global__ void column_sums_kernel(const float* __restrict__ in, float* __restrict__ out,
                                   long long rows, int cols, bool to_partials) {
  __shared__ float lanes[kBlock];
  const int lane = threadIdx.y * blockDim.x + threadIdx.x;
  for (long long group = static_cast<long long>(blockIdx.x) * blockDim.x; group < cols;
       group += static_cast<long long>(gridDim.x) * blockDim.x) {
    const long long c = group + threadIdx.x;
    float sum = 0.0f, carry = 0.0f;
    if (c < cols) {
      for (long long r = static_cast<long long>(blockIdx.y) * blockDim.y + threadIdx.y; r < rows;
           r += static_cast<long long>(gridDim.y) * blockDim.y) {
        const float term = in[r * cols + c] - carry;
        const float next = sum + term;
        carry = (next - sum) - term;
        sum = next;
      }
    }
    lanes[lane] = sum;
    __syncthreads();
    for (unsigned int half = blockDim.y / 2; half > 0; half /= 2) {
      if (threadIdx.y < half) lanes[lane] += lanes[lane + half * blockDim.x];
      __syncthreads();
    }
    if (threadIdx.y == 0 && c < cols) {
      if (to_partials)
        out[static_cast<long long>(blockIdx.y) * cols + c] = lanes[lane];
      else
        out[c] += lanes[lane];
    }
  }
}

}  // namespace
}  // namespace timestep::cuda

using namespace timestep::cuda;

extern "C" {

int ts_cuda_fill(float* x, long long n, float value) {
  TS_CUDA_REQUIRE(x && n >= 0, "fill: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  fill_kernel<<<blocks_for(n), kBlock>>>(x, n, value);
  return check_launch("fill");
}

int ts_cuda_copy(const float* src, float* dst, long long n) {
  TS_CUDA_REQUIRE(src && dst && n >= 0, "copy: null buffer or negative size %lld", n);
  if (n == 0 || src == dst) return TS_OK;
  const size_t bytes = static_cast<size_t>(n) * sizeof(float);
  const uintptr_t from = reinterpret_cast<uintptr_t>(src), to = reinterpret_cast<uintptr_t>(dst);
  if (from + bytes <= to || to + bytes <= from)
    return check(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice), "copy of %lld floats", n);
  // Overlapping ranges (memmove semantics, as on the CPU): cudaMemcpy does not promise them,
  // so go through a temporary. Rare enough that its synchronizing malloc/free do not matter.
  void* staged = nullptr;
  TS_CUDA_TRY(check(cudaMalloc(&staged, bytes), "copy: staging %lld overlapping floats", n));
  int status = check(cudaMemcpy(staged, src, bytes, cudaMemcpyDeviceToDevice), "copy: stage in");
  if (status == TS_OK)
    status = check(cudaMemcpy(dst, staged, bytes, cudaMemcpyDeviceToDevice), "copy: stage out");
  const int freed = check(cudaFree(staged), "copy: free staging");
  return status != TS_OK ? status : freed;
}

int ts_cuda_accumulate(const float* src, float* dst, long long n) {
  TS_CUDA_REQUIRE(src && dst && n >= 0, "accumulate: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  accumulate_kernel<<<blocks_for(n), kBlock>>>(src, dst, n);
  return check_launch("accumulate");
}

int ts_cuda_add(const float* a, const float* b, float* y, long long n) {
  TS_CUDA_REQUIRE(a && b && y && n >= 0, "add: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  add_kernel<<<blocks_for(n), kBlock>>>(a, b, y, n);
  return check_launch("add");
}

int ts_cuda_mul(const float* a, const float* b, float* y, long long n) {
  TS_CUDA_REQUIRE(a && b && y && n >= 0, "mul: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  mul_kernel<<<blocks_for(n), kBlock>>>(a, b, y, n);
  return check_launch("mul");
}

int ts_cuda_mul_grad(const float* dy, const float* other, float* dx, long long n) {
  TS_CUDA_REQUIRE(dy && other && dx && n >= 0, "mul_grad: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  mul_grad_kernel<<<blocks_for(n), kBlock>>>(dy, other, dx, n);
  return check_launch("mul_grad");
}

int ts_cuda_activation(int kind, const float* x, float* y, long long n) {
  TS_CUDA_REQUIRE(x && y && n >= 0, "activation: null buffer or negative size %lld", n);
  TS_CUDA_REQUIRE(kind >= TS_ACT_LINEAR && kind <= TS_ACT_RELU, "activation: unknown kind %d",
                  kind);
  if (n == 0) return TS_OK;
  const unsigned int grid = blocks_for(n);
  switch (kind) {
    case TS_ACT_TANH: activation_kernel<TS_ACT_TANH><<<grid, kBlock>>>(x, y, n); break;
    case TS_ACT_SIGMOID: activation_kernel<TS_ACT_SIGMOID><<<grid, kBlock>>>(x, y, n); break;
    case TS_ACT_RELU: activation_kernel<TS_ACT_RELU><<<grid, kBlock>>>(x, y, n); break;
    default: activation_kernel<TS_ACT_LINEAR><<<grid, kBlock>>>(x, y, n); break;
  }
  return check_launch("activation");
}

int ts_cuda_activation_grad(int kind, const float* y, const float* dy, float* dx, long long n) {
  TS_CUDA_REQUIRE(y && dy && dx && n >= 0, "activation_grad: null buffer or negative size %lld", n);
  TS_CUDA_REQUIRE(kind >= TS_ACT_LINEAR && kind <= TS_ACT_RELU, "activation_grad: unknown kind %d",
                  kind);
  if (n == 0) return TS_OK;
  const unsigned int grid = blocks_for(n);
  switch (kind) {
    case TS_ACT_TANH: activation_grad_kernel<TS_ACT_TANH><<<grid, kBlock>>>(y, dy, dx, n); break;
    case TS_ACT_SIGMOID:
      activation_grad_kernel<TS_ACT_SIGMOID><<<grid, kBlock>>>(y, dy, dx, n);
      break;
    case TS_ACT_RELU: activation_grad_kernel<TS_ACT_RELU><<<grid, kBlock>>>(y, dy, dx, n); break;
    default: activation_grad_kernel<TS_ACT_LINEAR><<<grid, kBlock>>>(y, dy, dx, n); break;
  }
  return check_launch("activation_grad");
}

int ts_cuda_add_bias(const float* x, const float* bias, float* y, long long rows, int cols) {
  TS_CUDA_REQUIRE(x && bias && y && rows >= 0 && cols > 0,
                  "add_bias: bad arguments rows=%lld cols=%d", rows, cols);
  if (rows == 0) return TS_OK;
  const RowLaunch launch = row_launch(rows, cols);
  add_bias_kernel<<<launch.grid, launch.block>>>(x, bias, y, rows, cols);
  return check_launch("add_bias");
}

int ts_cuda_bias_grad(const float* dy, float* dbias, long long rows, int cols) {
  TS_CUDA_REQUIRE(dy && dbias && rows >= 0 && cols > 0,
                  "bias_grad: bad arguments rows=%lld cols=%d", rows, cols);
  if (rows == 0) return TS_OK;
  // Pass 1 splits the rows into at most kMaxChunks chunks (grid.y) and writes one partial sum
  // per chunk and column; pass 2 folds the partials the same way into dbias. The geometry
  // depends only on (rows, cols), so the result is bitwise reproducible run to run.
  constexpr unsigned int kMaxChunks = 256;
  RowLaunch pass1 = row_launch(rows, cols);
  if (pass1.grid.y > kMaxChunks) pass1.grid.y = kMaxChunks;
  if (pass1.grid.y == 1) {
    column_sums_kernel<<<pass1.grid, pass1.block>>>(dy, dbias, rows, cols, false);
    return check_launch("bias_grad");
  }
  const long long chunks = pass1.grid.y;
  std::lock_guard<std::mutex> lock(scratch_mutex());
  void* partials = nullptr;
  TS_CUDA_TRY(scratch_buffer(kScratchPartials, static_cast<size_t>(chunks * cols) * sizeof(float),
                             &partials));
  float* sums = static_cast<float*>(partials);
  column_sums_kernel<<<pass1.grid, pass1.block>>>(dy, sums, rows, cols, true);
  TS_CUDA_TRY(check_launch("bias_grad (partials)"));
  RowLaunch pass2 = row_launch(chunks, cols);
  pass2.grid.y = 1;
  column_sums_kernel<<<pass2.grid, pass2.block>>>(sums, dbias, chunks, cols, false);
  return check_launch("bias_grad (fold)");
}

}  // extern "C"
