// CPU emulation of the CUDA runtime API and device language that native/cuda uses, so that the
// library's kernels AND its host code run unchanged on a machine without a GPU (CTest
// "cuda_vs_cpu_emulated"). Not a CUDA implementation: it models the execution rules the kernels
// rely on and nothing more:
//   - every thread of a block is a real host thread; __syncthreads is a barrier of the block;
//   - blocks of an ordinary launch run one after another (so `__shared__` arrays, emulated as
//     function statics, belong to the running block); a cooperative launch runs all blocks at
//     once, with a grid-wide barrier for cooperative_groups::this_grid().sync();
//   - __shfl_xor_sync exchanges values between the 32 threads of a warp (all must call it);
//   - cp.async (cuda_pipeline.h) copies only when the thread waits for the group, so reading
//     staged data before the wait sees stale values, as it may on a GPU;
//   - device memory is host memory; launch geometry, dynamic shared memory limits and the
//     co-residency rule of cooperative launches are checked like the runtime checks them.
// Timing and floating-point details (FMA contraction, intrinsic accuracy) are NOT those of a GPU.
// rewrite_launches.py turns each `k<<<...>>>(args)` into a call of emu::launch_call or emu::launch.
#ifndef TIMESTEP_EMULATION_CUDA_RUNTIME_H
#define TIMESTEP_EMULATION_CUDA_RUNTIME_H

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

// Lets library code tell this build from a real one: native/cuda/cublas_gemm.cu never loads
// cuBLAS here, which would receive host pointers as device pointers. The one exception is the
// dispatch check (tests/cublas_dispatch_check.cpp), whose fake cuBLAS works on host memory.
#ifndef TIMESTEP_EMULATION_WITH_FAKE_CUBLAS
#define TIMESTEP_CUDA_EMULATION 1
#endif

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1)
      : x(vx), y(vy), z(vz) {}
};
struct uint3 {
  unsigned int x, y, z;
};
struct alignas(16) float4 {
  float x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }

inline thread_local uint3 threadIdx{0, 0, 0};
inline thread_local uint3 blockIdx{0, 0, 0};
inline dim3 blockDim;
inline dim3 gridDim;

enum cudaError_t {
  cudaSuccess = 0,
  cudaErrorInvalidValue = 1,
  cudaErrorMemoryAllocation = 2,
  cudaErrorInitializationError = 3,
  cudaErrorInvalidConfiguration = 9,
  cudaErrorInsufficientDriver = 35,
  cudaErrorNoDevice = 100,
  cudaErrorLaunchOutOfResources = 701,
  cudaErrorCooperativeLaunchTooLarge = 720,
  cudaErrorNotSupported = 801,
};
enum cudaMemcpyKind {
  cudaMemcpyHostToHost = 0,
  cudaMemcpyHostToDevice = 1,
  cudaMemcpyDeviceToHost = 2,
  cudaMemcpyDeviceToDevice = 3,
};
enum cudaDeviceAttr {
  cudaDevAttrMultiProcessorCount = 16,
  cudaDevAttrCooperativeLaunch = 95,
  cudaDevAttrMaxSharedMemoryPerBlockOptin = 97,
};
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };
using cudaStream_t = void*;
struct cudaDeviceProp {
  char name[256];
};

// ---- runtime API (emulator.cpp) ---------------------------------------------------------------
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaSetDevice(int device);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device);
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device);
cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes);
cudaError_t cudaDeviceSynchronize();
cudaError_t cudaMalloc(void** ptr, size_t bytes);
cudaError_t cudaFree(void* ptr);
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream = nullptr);
cudaError_t cudaGetLastError();
const char* cudaGetErrorString(cudaError_t err);
const char* cudaGetErrorName(cudaError_t err);

// ---- device-side builtins ---------------------------------------------------------------------
void __syncthreads();
float __shfl_xor_sync(unsigned int mask, float value, int lane_mask, int width = 32);
inline float __ldcg(const float* p) { return *p; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
// The running block's dynamic shared memory (see shared_floats() in native/cuda/recurrent.cuh).
float* shared_floats();

namespace emu {

// Runs `body` as every thread of every block of the grid; returns the launch error, if any.
cudaError_t run_grid(const void* kernel, dim3 grid, dim3 block, size_t smem, bool cooperative,
                     const std::function<void()>& body);
// Dynamic shared memory a kernel may use (cudaFuncSetAttribute), 48 KiB by default.
cudaError_t set_max_dynamic_smem(const void* kernel, int bytes);
int occupancy(const void* kernel, int threads, size_t smem);
// Occupancy queries so far (all threads), so tests can see when a plan search runs.
long long occupancy_queries();
void set_last_error(cudaError_t err);

template <class... P>
struct Launch {
  void (*kernel)(P...);
  dim3 grid, block;
  size_t smem;
  template <class... A>
  void operator()(A&&... args) const {
    // One copy of the arguments, converted to the kernel's parameter types as a launch would.
    const std::tuple<std::decay_t<P>...> params(std::forward<A>(args)...);
    const cudaError_t err = run_grid(reinterpret_cast<const void*>(kernel), grid, block, smem,
                                     false, [&] { std::apply(kernel, params); });
    if (err != cudaSuccess) set_last_error(err);
  }
};

template <class... P>
Launch<P...> launch(void (*kernel)(P...), dim3 grid, dim3 block, size_t smem = 0,
                    cudaStream_t = nullptr) {
  return Launch<P...>{kernel, grid, block, smem};
}

// A launch whose kernel is called through `body` (which calls it with the launch's arguments).
template <class Body>
void launch_call(dim3 grid, dim3 block, Body&& body) {
  const cudaError_t err = run_grid(nullptr, grid, block, 0, false, [&] { body(); });
  if (err != cudaSuccess) set_last_error(err);
}

template <class... P, size_t... I>
void call_with(void (*kernel)(P...), void** args, std::index_sequence<I...>) {
  kernel(*static_cast<std::decay_t<P>*>(args[I])...);
}

}  // namespace emu

template <class... P>
cudaError_t cudaFuncSetAttribute(void (*kernel)(P...), cudaFuncAttribute, int value) {
  return emu::set_max_dynamic_smem(reinterpret_cast<const void*>(kernel), value);
}

template <class... P>
cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* blocks, void (*kernel)(P...),
                                                          int threads, size_t smem) {
  *blocks = emu::occupancy(reinterpret_cast<const void*>(kernel), threads, smem);
  return cudaSuccess;
}

template <class... P>
cudaError_t cudaLaunchCooperativeKernel(void (*kernel)(P...), dim3 grid, dim3 block, void** args,
                                        size_t smem = 0, cudaStream_t = nullptr) {
  return emu::run_grid(reinterpret_cast<const void*>(kernel), grid, block, smem, true,
                       [&] { emu::call_with(kernel, args, std::index_sequence_for<P...>{}); });
}

#endif
