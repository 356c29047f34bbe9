// Plumbing shared by the CUDA entry points: the per-thread error slot, argument checks,
// cudaError_t -> status mapping, launch geometry, and the reusable device scratch buffers.
// Private to native/cuda; the public ABI is include/timestep/cuda_api.h.
#ifndef TIMESTEP_CUDA_COMMON_CUH
#define TIMESTEP_CUDA_COMMON_CUH

#include <cuda_runtime.h>

#include <cstddef>
#include <mutex>

#include "timestep/errors.h"
#include "timestep/status.h"

// The helpers below are shared between this library's translation units only: keep them out
// of the dynamic symbol table, whose only exports are the ts_cuda_* C functions.
#define TS_CUDA_INTERNAL __attribute__((visibility("hidden")))

namespace timestep::cuda {

TS_CUDA_INTERNAL ErrorSlot& error_slot();

// TS_OK for cudaSuccess; otherwise records "<what>: <cuda message> (<name>)" and returns
// TS_ERR_OUT_OF_MEMORY, TS_ERR_NO_CUDA (no driver/device) or TS_ERR_CUDA. `what` is printf-style.
TS_CUDA_INTERNAL int check(cudaError_t err, const char* what, ...);

// Status of the kernel launch just issued (bad configuration, missing device, ...). Errors
// raised later while the kernel runs surface at the next synchronizing call.
inline int check_launch(const char* what) {
  return check(cudaGetLastError(), "%s: kernel launch", what);
}

/* Argument checks, worded like the CPU twins' so both backends report the same thing. */
#define TS_CUDA_REQUIRE(cond, ...)                                                     \
  do {                                                                                 \
    if (!(cond))                                                                       \
      return ::timestep::fail(::timestep::cuda::error_slot(), TS_ERR_INVALID_ARGUMENT, \
                              __VA_ARGS__);                                            \
  } while (0)

/* Propagates a non-OK status from a helper. */
#define TS_CUDA_TRY(expr)                       \
  do {                                          \
    const int ts_status_ = (expr);              \
    if (ts_status_ != TS_OK) return ts_status_; \
  } while (0)

constexpr int kBlock = 256;
// Grid-stride kernels never launch more blocks than this: a few waves on a 132-SM Hopper are
// enough to saturate memory bandwidth, and the loop covers any n (2^31 and beyond).
constexpr long long kMaxBlocks = 4096;
constexpr long long kMaxGridY = 65535;  // hardware limit of gridDim.y

inline unsigned int blocks_for(long long n, long long block = kBlock) {
  const long long blocks = (n + block - 1) / block;
  return static_cast<unsigned int>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
}

// Launch shape for kernels that walk a [rows, cols] row-major matrix: threadIdx.x runs along a
// row and threadIdx.y across rows. x is the smallest power of two >= cols (at most 32), so a
// warp covers several whole rows when cols is small and its loads stay contiguous. Both grid
// dimensions are capped; the kernels stride over whatever the grid does not cover.
struct RowLaunch {
  dim3 grid;
  dim3 block;
};

inline RowLaunch row_launch(long long rows, long long cols) {
  unsigned int bx = 1;
  while (bx < 32 && static_cast<long long>(bx) < cols) bx <<= 1;
  const unsigned int by = kBlock / bx;
  long long gx = (cols + bx - 1) / bx;
  if (gx > kMaxBlocks) gx = kMaxBlocks;
  long long gy = (rows + by - 1) / by;
  const long long gy_budget = kMaxBlocks / gx > 0 ? kMaxBlocks / gx : 1;
  if (gy > gy_budget) gy = gy_budget;
  if (gy > kMaxGridY) gy = kMaxGridY;
  return {dim3(static_cast<unsigned int>(gx), static_cast<unsigned int>(gy)), dim3(bx, by)};
}

// First element and stride of a 1-D grid-stride loop, in 64 bits so n may exceed 2^31.
__device__ __forceinline__ long long first_index() {
  return static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ long long grid_stride() {
  return static_cast<long long>(gridDim.x) * blockDim.x;
}
// The same along y, for kernels launched with row_launch(): the row index and its stride.
__device__ __forceinline__ long long first_row() {
  return static_cast<long long>(blockIdx.y) * blockDim.y + threadIdx.y;
}
__device__ __forceinline__ long long row_stride() {
  return static_cast<long long>(gridDim.y) * blockDim.y;
}

// Sum over the 32 lanes of a warp (every lane gets the total); all lanes must call it.
__device__ __forceinline__ float warp_sum(float v) {
  for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}

// Device scratch memory reused across calls, one buffer per slot and device. It only grows
// and is never freed: freeing from a static destructor at exit could run after the CUDA
// runtime has shut down, and the driver reclaims everything when the process ends.
// Callers hold scratch_mutex() from scratch_buffer() until the work that uses the buffer is
// enqueued. All work goes to the legacy default stream, so a later caller's writes to the
// buffer are ordered after the earlier caller's kernels have read it.
// kScratchWorkspace holds every temporary of one sequence op call (layer/batch norm, conv1d,
// recurrent), carved with WorkspacePlan below.
enum ScratchSlot {
  kScratchRowIndices = 0,
  kScratchPartials = 1,
  kScratchWorkspace = 2,
  kScratchSlots = 3
};
TS_CUDA_INTERNAL std::mutex& scratch_mutex();
TS_CUDA_INTERNAL int scratch_buffer(ScratchSlot slot, size_t bytes, void** out);

// Lays out several temporaries in one buffer: reserve() each (in elements of T) to get its byte
// offset, allocate bytes() once, then at<T>(base, offset) gives the pointers. Every piece starts
// on a 256-byte boundary (cudaMalloc's alignment), so any element type and vector loads work.
class WorkspacePlan {
 public:
  template <class T>
  size_t reserve(size_t count) {
    const size_t offset = (bytes_ + 255) / 256 * 256;
    bytes_ = offset + count * sizeof(T);
    return offset;
  }
  size_t bytes() const { return bytes_ > 0 ? bytes_ : 1; }

 private:
  size_t bytes_ = 0;
};

template <class T>
T* at(void* base, size_t offset) {
  return reinterpret_cast<T*>(static_cast<char*>(base) + offset);
}

}  // namespace timestep::cuda

#endif
