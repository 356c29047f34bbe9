// The CPU emulation of the CUDA runtime and device builtins declared in include/*.h (see
// cuda_runtime.h for what is modelled).
//
// Every emulated GPU thread is a fiber (its own stack, switched in user space) on the calling
// host thread. A scheduler resumes the fibers of a launch in turn; each runs until it reaches a
// barrier (__syncthreads, a warp shuffle, a grid sync) or ends. A barrier releases its fibers
// once all it expects have arrived; when no fiber can run, the kernel has a barrier that some
// threads never reach, and the emulation stops with a message (a GPU would hang). The scheduler
// alternates its direction on every pass, so a missing barrier shows whether the reader of a
// value runs before or after its writer. Blocks of an ordinary launch run one after another;
// a cooperative launch runs all its blocks' fibers together.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cooperative_groups.h"
#include "cuda_pipeline.h"
#include "cuda_runtime.h"

#if !defined(__x86_64__)
#error "the CUDA emulation's fiber switch is written for x86-64"
#endif

// Under AddressSanitizer a reused fiber stack still carries the scope poisoning of the frames
// its previous fiber left without returning: clear it before the stack runs again.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define TS_EMU_UNPOISON(address, bytes) __asan_unpoison_memory_region((address), (bytes))
#else
#define TS_EMU_UNPOISON(address, bytes) ((void)(address), (void)(bytes))
#endif

// switch_stack(save, load): pushes the callee-saved registers, stores the stack pointer in
// *save, continues on the stack `load` (popping its registers and returning into it).
extern "C" void ts_emu_switch_stack(void** save, void* load);
asm(R"(
  .text
  .globl ts_emu_switch_stack
  .type ts_emu_switch_stack, @function
ts_emu_switch_stack:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size ts_emu_switch_stack, .-ts_emu_switch_stack
  .section .note.GNU-stack,"",@progbits
)");

namespace {

constexpr size_t kSmemOptin = 232448;  // dynamic shared memory one block may opt into (H100)
constexpr size_t kSmemPerSm = 233472;  // shared memory of one SM
constexpr size_t kSmemReservedPerBlock = 1024;
constexpr int kDefaultDynamicSmem = 48 * 1024;
constexpr int kMaxThreadsPerSm = 2048;
constexpr int kMaxBlocksPerSm = 32;
constexpr size_t kFiberStack = 128 * 1024;

// SMs of the emulated device: few, so that cooperative launches stay at a few thousand threads.
int sm_count() {
  static const int count = [] {
    const char* env = std::getenv("TS_EMU_SMS");
    const int n = env ? std::atoi(env) : 0;
    return n > 0 ? n : 8;
  }();
  return count;
}

thread_local cudaError_t tl_last_error = cudaSuccess;

std::mutex g_attributes_mutex;
std::map<const void*, int> g_max_dynamic_smem;

int max_dynamic_smem(const void* kernel) {
  std::lock_guard<std::mutex> lock(g_attributes_mutex);
  const auto it = g_max_dynamic_smem.find(kernel);
  return it == g_max_dynamic_smem.end() ? kDefaultDynamicSmem : it->second;
}

struct Barrier {
  explicit Barrier(int n) : expected(n) {}
  int expected;
  int arrived = 0;
  unsigned long long generation = 0;
};

// What the threads of one block share.
struct Block {
  Block(int threads, size_t smem_bytes)
      : count(threads),
        smem_bytes(smem_bytes),
        barrier(threads),
        shuffle(threads),
        smem((smem_bytes + kCanaryBytes + sizeof(float4) - 1) / sizeof(float4)) {
    for (int w = 0; w * 32 < threads; ++w)
      warp_barriers.emplace_back(std::min(32, threads - 32 * w));
    poison();
  }
  // Shared memory starts as NaN on every block: a kernel reading what it never wrote shows it.
  void poison() { std::memset(smem.data(), 0xff, smem.size() * sizeof(float4)); }
  // A kernel that wrote past the dynamic shared memory it was launched with would corrupt its
  // neighbours' on a GPU (or fault): the bytes after it must still hold the poison.
  void check_canary() const {
    const auto* bytes = reinterpret_cast<const unsigned char*>(smem.data());
    for (size_t i = smem_bytes; i < smem_bytes + kCanaryBytes; ++i) {
      if (bytes[i] != 0xff) {
        std::fprintf(stderr,
                     "CUDA emulation: a kernel wrote past its %zu bytes of dynamic shared memory "
                     "(at +%zu)\n",
                     smem_bytes, i - smem_bytes);
        std::abort();
      }
    }
  }

  static constexpr size_t kCanaryBytes = 4096;
  int count;
  size_t smem_bytes;
  Barrier barrier;
  std::vector<Barrier> warp_barriers;
  std::vector<float> shuffle;
  std::vector<float4> smem;
};

// cp.async: copies wait in groups until the thread waits for them.
struct Copy {
  void* dst;
  const void* src;
  size_t bytes;
};
struct Pipeline {
  std::vector<Copy> open;
  std::deque<std::vector<Copy>> committed;
};

void perform(const std::vector<Copy>& group) {
  for (const Copy& c : group) std::memcpy(c.dst, c.src, c.bytes);
}

struct Fiber {
  std::unique_ptr<char[]> stack;
  void* sp = nullptr;
  bool done = true;
  Barrier* waiting = nullptr;
  unsigned long long wait_generation = 0;
  Block* block = nullptr;
  int tid = 0;
  uint3 thread{0, 0, 0}, block_index{0, 0, 0};
  Pipeline pipeline;
};

// The running launch (launches are serialised by g_launch_mutex).
std::mutex g_launch_mutex;
void* g_scheduler_sp = nullptr;
Fiber* g_current = nullptr;
const std::function<void()>* g_body = nullptr;
int g_alive = 0;
Barrier* g_grid_barrier = nullptr;

// At the end of a thread every copy has landed, whatever the kernel waited for.
void drain(Pipeline& p) {
  for (const auto& group : p.committed) perform(group);
  perform(p.open);
  p.committed.clear();
  p.open.clear();
}

[[noreturn]] void fiber_entry() {
  Fiber* f = g_current;
  (*g_body)();
  drain(f->pipeline);
  f->done = true;
  --g_alive;
  ts_emu_switch_stack(&f->sp, g_scheduler_sp);
  __builtin_unreachable();
}

void start(Fiber& f, Block* block, int tid, unsigned long long linear_block, dim3 grid, dim3 dims) {
  if (!f.stack) f.stack.reset(new char[kFiberStack]);  // untouched until used: no zeroing
  TS_EMU_UNPOISON(f.stack.get(), kFiberStack);
  // A stack that "returns" into fiber_entry: its address 16-byte aligned, then six zero
  // callee-saved registers below it (see ts_emu_switch_stack).
  auto top = reinterpret_cast<uintptr_t>(f.stack.get() + kFiberStack) & ~uintptr_t{15};
  void** slot = reinterpret_cast<void**>(top - 16);
  slot[0] = reinterpret_cast<void*>(&fiber_entry);
  void** regs = slot - 6;
  for (int i = 0; i < 6; ++i) regs[i] = nullptr;
  f.sp = regs;
  f.done = false;
  f.waiting = nullptr;
  f.block = block;
  f.tid = tid;
  f.thread = {tid % dims.x, (tid / dims.x) % dims.y, tid / (dims.x * dims.y)};
  f.block_index = {
      static_cast<unsigned int>(linear_block % grid.x),
      static_cast<unsigned int>((linear_block / grid.x) % grid.y),
      static_cast<unsigned int>(linear_block / (static_cast<unsigned long long>(grid.x) * grid.y))};
  ++g_alive;
}

// Resumes fibers until all have ended; alternating direction each pass.
void run_fibers(std::vector<Fiber>& fibers, size_t count) {
  bool forward = true;
  while (g_alive > 0) {
    bool progressed = false;
    for (size_t k = 0; k < count; ++k) {
      Fiber& f = fibers[forward ? k : count - 1 - k];
      if (f.done || (f.waiting && f.waiting->generation == f.wait_generation)) continue;
      f.waiting = nullptr;
      threadIdx = f.thread;
      blockIdx = f.block_index;
      g_current = &f;
      ts_emu_switch_stack(&g_scheduler_sp, f.sp);
      progressed = true;
    }
    forward = !forward;
    if (!progressed) {
      std::fprintf(
          stderr,
          "CUDA emulation: deadlock, %d threads wait at a barrier that the others never reach "
          "(block %u, thread %u)\n",
          g_alive, blockIdx.x, threadIdx.x);
      std::abort();
    }
  }
}

void arrive(Barrier& b) {
  if (++b.arrived == b.expected) {
    b.arrived = 0;
    ++b.generation;
    return;
  }
  Fiber* f = g_current;
  f->waiting = &b;
  f->wait_generation = b.generation;
  ts_emu_switch_stack(&f->sp, g_scheduler_sp);
  // resumed by run_fibers once the barrier's generation moved on
  g_current = f;
}

std::vector<Fiber>& fiber_pool(size_t n) {
  static std::vector<Fiber>* pool = new std::vector<Fiber>();
  if (pool->size() < n) pool->resize(n);
  return *pool;
}

}  // namespace

// ---- device builtins ------------------------------------------------------------------------

void __syncthreads() { arrive(g_current->block->barrier); }

float __shfl_xor_sync(unsigned int, float value, int lane_mask, int) {
  Fiber* f = g_current;
  Block& b = *f->block;
  const int tid = f->tid, warp = tid / 32, lane = tid % 32;
  b.shuffle[tid] = value;
  arrive(b.warp_barriers[warp]);
  const int source = warp * 32 + (lane ^ lane_mask);
  const float result = source < b.count ? b.shuffle[source] : value;
  arrive(b.warp_barriers[warp]);  // nobody overwrites a slot before all have read
  return result;
}

float* shared_floats() { return reinterpret_cast<float*>(g_current->block->smem.data()); }

void __pipeline_memcpy_async(void* dst, const void* src, size_t bytes, size_t) {
  g_current->pipeline.open.push_back({dst, src, bytes});
}

void __pipeline_commit() {
  Pipeline& p = g_current->pipeline;
  p.committed.push_back(std::move(p.open));
  p.open.clear();
}

void __pipeline_wait_prior(size_t prior) {
  Pipeline& p = g_current->pipeline;
  while (p.committed.size() > prior) {
    perform(p.committed.front());
    p.committed.pop_front();
  }
}

namespace emu {

void grid_sync() { arrive(*g_grid_barrier); }

void set_last_error(cudaError_t err) { tl_last_error = err; }

cudaError_t set_max_dynamic_smem(const void* kernel, int bytes) {
  if (bytes < 0 || static_cast<size_t>(bytes) > kSmemOptin) return cudaErrorInvalidValue;
  {
    std::lock_guard<std::mutex> lock(g_attributes_mutex);
    g_max_dynamic_smem[kernel] = bytes;
  }
  // The attribute is shared by every host thread. On a loaded host a thread can be descheduled
  // between setting it and launching; this pause models that, so that a caller relying on its
  // own value surviving until its launch fails here rather than only rarely on a GPU.
  std::this_thread::sleep_for(std::chrono::microseconds(50));
  return cudaSuccess;
}

std::atomic<long long> g_occupancy_queries{0};

long long occupancy_queries() { return g_occupancy_queries.load(); }

int occupancy(const void* kernel, int threads, size_t smem) {
  ++g_occupancy_queries;
  if (threads < 1 || threads > 1024 || smem > static_cast<size_t>(max_dynamic_smem(kernel)))
    return 0;
  const int by_threads = kMaxThreadsPerSm / threads;
  const int by_smem = static_cast<int>(kSmemPerSm / (smem + kSmemReservedPerBlock));
  return std::min({kMaxBlocksPerSm, by_threads, by_smem});
}

cudaError_t run_grid(const void* kernel, dim3 grid, dim3 block, size_t smem, bool cooperative,
                     const std::function<void()>& body) {
  const long long threads = 1LL * block.x * block.y * block.z;
  const unsigned long long blocks = 1ULL * grid.x * grid.y * grid.z;
  if (threads < 1 || threads > 1024 || block.z > 64 || blocks < 1 || grid.x > 0x7fffffffu ||
      grid.y > 65535 || grid.z > 65535)
    return cudaErrorInvalidConfiguration;
  if (smem > static_cast<size_t>(max_dynamic_smem(kernel))) return cudaErrorInvalidValue;
  const int n = static_cast<int>(threads);
  if (cooperative &&
      blocks > static_cast<unsigned long long>(occupancy(kernel, n, smem)) * sm_count())
    return cudaErrorCooperativeLaunchTooLarge;
  // TS_EMU_REFUSE_COOPERATIVE=1 refuses every cooperative launch although the device claims
  // support, as a GPU shared with other work (MPS, a busy context) may: the callers' fallback.
  const char* refuse = std::getenv("TS_EMU_REFUSE_COOPERATIVE");
  if (cooperative && refuse && std::strcmp(refuse, "1") == 0)
    return cudaErrorCooperativeLaunchTooLarge;

  std::lock_guard<std::mutex> lock(g_launch_mutex);
  blockDim = block;
  gridDim = grid;
  g_body = &body;
  if (!cooperative) {
    Block shared(n, smem);
    std::vector<Fiber>& fibers = fiber_pool(n);
    for (unsigned long long b = 0; b < blocks; ++b) {
      if (b > 0 && smem > 0) shared.poison();
      for (int tid = 0; tid < n; ++tid) start(fibers[tid], &shared, tid, b, grid, block);
      run_fibers(fibers, n);
      shared.check_canary();
    }
  } else {
    std::vector<std::unique_ptr<Block>> contexts;
    for (unsigned long long b = 0; b < blocks; ++b)
      contexts.push_back(std::make_unique<Block>(n, smem));
    Barrier grid_barrier(static_cast<int>(blocks * n));
    g_grid_barrier = &grid_barrier;
    std::vector<Fiber>& fibers = fiber_pool(blocks * n);
    for (unsigned long long b = 0; b < blocks; ++b)
      for (int tid = 0; tid < n; ++tid)
        start(fibers[b * n + tid], contexts[b].get(), tid, b, grid, block);
    run_fibers(fibers, blocks * n);
    for (const auto& context : contexts) context->check_canary();
    g_grid_barrier = nullptr;
  }
  g_body = nullptr;
  g_current = nullptr;
  return cudaSuccess;
}

}  // namespace emu

// ---- runtime API ----------------------------------------------------------------------------

cudaError_t cudaGetDeviceCount(int* count) {
  *count = 1;
  return cudaSuccess;
}
cudaError_t cudaGetDevice(int* device) {
  *device = 0;
  return cudaSuccess;
}
cudaError_t cudaSetDevice(int device) { return device == 0 ? cudaSuccess : cudaErrorInvalidValue; }

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (device != 0) return cudaErrorInvalidValue;
  std::snprintf(prop->name, sizeof prop->name,
                "CPU emulation of the CUDA kernels (%d SMs, not a GPU)", sm_count());
  return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
  if (device != 0) return cudaErrorInvalidValue;
  switch (attr) {
    case cudaDevAttrMultiProcessorCount: *value = sm_count(); break;
    case cudaDevAttrCooperativeLaunch: *value = 1; break;
    case cudaDevAttrMaxSharedMemoryPerBlockOptin: *value = static_cast<int>(kSmemOptin); break;
    default: return cudaErrorInvalidValue;
  }
  return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t* free_bytes, size_t* total_bytes) {
  *free_bytes = *total_bytes = size_t{16} << 30;
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }

cudaError_t cudaMalloc(void** ptr, size_t bytes) {
  const size_t rounded = (bytes + 255) / 256 * 256;
  *ptr = rounded >= bytes ? std::aligned_alloc(256, rounded > 0 ? rounded : 256) : nullptr;
  if (*ptr == nullptr) return cudaErrorMemoryAllocation;
  std::memset(*ptr, 0xff, rounded);  // NaN, like never-written device memory would read
  return cudaSuccess;
}

cudaError_t cudaFree(void* ptr) {
  std::free(ptr);
  return cudaSuccess;
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind) {
  std::memmove(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t) {
  return cudaMemcpy(dst, src, bytes, kind);
}

cudaError_t cudaGetLastError() {
  const cudaError_t err = tl_last_error;
  tl_last_error = cudaSuccess;
  return err;
}

const char* cudaGetErrorName(cudaError_t err) {
  switch (err) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInitializationError: return "cudaErrorInitializationError";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorCooperativeLaunchTooLarge: return "cudaErrorCooperativeLaunchTooLarge";
    case cudaErrorLaunchOutOfResources: return "cudaErrorLaunchOutOfResources";
    case cudaErrorNotSupported: return "cudaErrorNotSupported";
  }
  return "cudaErrorUnknown";
}

const char* cudaGetErrorString(cudaError_t err) {
  switch (err) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorCooperativeLaunchTooLarge: return "too many blocks in cooperative launch";
    default: return "emulated error";
  }
}
