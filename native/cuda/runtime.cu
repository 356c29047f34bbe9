// Device management, memory and transfers, the error slot and the scratch buffers.
#include <dlfcn.h>

#include <cstdarg>
#include <cstdio>

#include "common.cuh"
#include "timestep/cuda_api.h"

namespace timestep::cuda {

ErrorSlot& error_slot() {
  thread_local ErrorSlot slot{};
  return slot;
}

int check(cudaError_t err, const char* what, ...) {
  if (err == cudaSuccess) return TS_OK;
  // Clears a non-sticky error so the next call does not report it again through
  // cudaGetLastError(); a sticky one (a kernel fault) keeps failing every later call.
  cudaGetLastError();
  int status = TS_ERR_CUDA;
  if (err == cudaErrorMemoryAllocation) {
    status = TS_ERR_OUT_OF_MEMORY;
  } else if (err == cudaErrorNoDevice || err == cudaErrorInsufficientDriver ||
             err == cudaErrorInitializationError) {
    status = TS_ERR_NO_CUDA;
  }
  char context[256];
  va_list args;
  va_start(args, what);
  std::vsnprintf(context, sizeof context, what, args);
  va_end(args);
  return fail(error_slot(), status, "%s: %s (%s)", context, cudaGetErrorString(err),
              cudaGetErrorName(err));
}

namespace {

constexpr int kMaxDevices = 64;

struct Scratch {
  void* ptr[kScratchSlots][kMaxDevices] = {};
  size_t bytes[kScratchSlots][kMaxDevices] = {};
};

// Leaked on purpose (see common.cuh): no destructor ever runs at exit.
Scratch& scratch() {
  static Scratch* instance = new Scratch();
  return *instance;
}

}  // namespace

std::mutex& scratch_mutex() {
  static std::mutex* mutex = new std::mutex();
  return *mutex;
}

int scratch_buffer(ScratchSlot slot, size_t bytes, void** out) {
  *out = nullptr;
  int device = 0;
  TS_CUDA_TRY(check(cudaGetDevice(&device), "scratch: cudaGetDevice"));
  if (device < 0 || device >= kMaxDevices)
    return fail(error_slot(), TS_ERR_CUDA, "scratch: device %d is beyond the %d supported", device,
                kMaxDevices);
  Scratch& s = scratch();
  void*& ptr = s.ptr[slot][device];
  size_t& have = s.bytes[slot][device];
  if (have < bytes) {
    // Grow geometrically so a slowly rising size does not reallocate on every call.
    // cudaFree waits for the device, so kernels still reading the old buffer finish first.
    size_t grown = have < 4096 ? 4096 : have;
    while (grown < bytes) grown *= 2;
    if (ptr) cudaFree(ptr);
    ptr = nullptr;
    have = 0;
    TS_CUDA_TRY(check(cudaMalloc(&ptr, grown), "scratch: cudaMalloc of %zu bytes", grown));
    have = grown;
  }
  *out = ptr;
  return TS_OK;
}

}  // namespace timestep::cuda

using timestep::fail;
using timestep::cuda::check;
using timestep::cuda::error_slot;

namespace {
// Whether the driver library exists at all (it may be present but older than the runtime).
bool driver_library_present() {
  void* handle = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) return false;
  dlclose(handle);
  return true;
}
}  // namespace

extern "C" {

const char* ts_cuda_last_error(void) { return error_slot().text; }

int ts_cuda_compiled(void) { return 1; }

int ts_cuda_device_count(int* count) {
  TS_CUDA_REQUIRE(count, "device_count: null count");
  *count = 0;
  int devices = 0;
  const cudaError_t err = cudaGetDeviceCount(&devices);
  if (err != cudaSuccess) {
    cudaGetLastError();
    // The runtime reports a missing driver as "insufficient driver"; say which it is.
    if (err == cudaErrorInsufficientDriver && !driver_library_present()) {
      return fail(error_slot(), TS_ERR_NO_CUDA,
                  "no NVIDIA driver on this machine (libcuda.so.1 cannot be loaded)");
    }
    return fail(error_slot(), TS_ERR_NO_CUDA, "device_count: no usable CUDA driver or device: %s",
                cudaGetErrorString(err));
  }
  if (devices <= 0) return fail(error_slot(), TS_ERR_NO_CUDA, "device_count: no CUDA device");
  *count = devices;
  return TS_OK;
}

int ts_cuda_device_name(int device, char* name, int capacity) {
  TS_CUDA_REQUIRE(name && capacity > 0 && device >= 0,
                  "device_name: null buffer, capacity %d or device %d", capacity, device);
  name[0] = '\0';
  cudaDeviceProp prop;
  TS_CUDA_TRY(check(cudaGetDeviceProperties(&prop, device), "device_name(%d)", device));
  std::snprintf(name, static_cast<size_t>(capacity), "%s", prop.name);
  return TS_OK;
}

int ts_cuda_set_device(int device) {
  TS_CUDA_REQUIRE(device >= 0, "set_device: negative device %d", device);
  return check(cudaSetDevice(device), "set_device(%d)", device);
}

int ts_cuda_mem_info(long long* free_bytes, long long* total_bytes) {
  TS_CUDA_REQUIRE(free_bytes && total_bytes, "mem_info: null output");
  size_t free_now = 0, total = 0;
  TS_CUDA_TRY(check(cudaMemGetInfo(&free_now, &total), "mem_info"));
  *free_bytes = static_cast<long long>(free_now);
  *total_bytes = static_cast<long long>(total);
  return TS_OK;
}

int ts_cuda_synchronize(void) { return check(cudaDeviceSynchronize(), "synchronize"); }

int ts_cuda_malloc(long long bytes, long long* device_ptr) {
  TS_CUDA_REQUIRE(device_ptr && bytes >= 0, "malloc: null output or negative size %lld", bytes);
  *device_ptr = 0;
  // A zero-byte request still gets a real allocation: every successful malloc returns a
  // non-null pointer that the null-checking entry points accept and ts_cuda_free releases.
  void* ptr = nullptr;
  const size_t request = bytes > 0 ? static_cast<size_t>(bytes) : 1;
  TS_CUDA_TRY(check(cudaMalloc(&ptr, request), "malloc of %lld bytes", bytes));
  *device_ptr = reinterpret_cast<long long>(ptr);
  return TS_OK;
}

int ts_cuda_free(long long device_ptr) {
  if (device_ptr == 0) return TS_OK;
  return check(cudaFree(reinterpret_cast<void*>(device_ptr)), "free");
}

int ts_cuda_upload(float* device_dst, const float* host_src, long long n) {
  TS_CUDA_REQUIRE(device_dst && host_src && n >= 0, "upload: null buffer or negative size %lld", n);
  if (n == 0) return TS_OK;
  return check(cudaMemcpy(device_dst, host_src, static_cast<size_t>(n) * sizeof(float),
                          cudaMemcpyHostToDevice),
               "upload of %lld floats", n);
}

int ts_cuda_download(const float* device_src, float* host_dst, long long n) {
  TS_CUDA_REQUIRE(device_src && host_dst && n >= 0, "download: null buffer or negative size %lld",
                  n);
  if (n == 0) return TS_OK;
  return check(cudaMemcpy(host_dst, device_src, static_cast<size_t>(n) * sizeof(float),
                          cudaMemcpyDeviceToHost),
               "download of %lld floats", n);
}

}  // extern "C"
