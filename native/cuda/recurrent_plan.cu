// Argument checks of the recurrent ops and the choice of their time-loop strategy (see
// recurrent.cuh), plus the two strategy entry points of cuda_api.h.
#include <atomic>
#include <cstdio>
#include <mutex>

#include "recurrent.cuh"

namespace timestep::cuda {

namespace {
std::atomic<int> g_forced{TS_RNN_STRATEGY_AUTO};
std::atomic<int> g_last{TS_RNN_STRATEGY_AUTO};

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }
}  // namespace

int rnn_forced_strategy() { return g_forced.load(std::memory_order_relaxed); }
void rnn_record_strategy(int strategy) { g_last.store(strategy, std::memory_order_relaxed); }

int rnn_check_dims(const char* op, int kind, int act, int batch, int steps, int features, int units,
                   const float* kernel, const float* recurrent, const float* bias,
                   const float* extra, RnnDims& d) {
  // The same checks and limits as the CPU twin, worded the same way.
  TS_CUDA_REQUIRE(kind >= TS_RNN_SIMPLE && kind <= TS_RNN_LN_SIMPLE,
                  "%s: unknown recurrent kind %d", op, kind);
  TS_CUDA_REQUIRE(act >= TS_ACT_LINEAR && act <= TS_ACT_RELU, "%s: unknown activation %d", op, act);
  TS_CUDA_REQUIRE(batch >= 0 && steps >= 1 && features >= 1 && units >= 1,
                  "%s: bad shape batch=%d steps=%d features=%d units=%d", op, batch, steps,
                  features, units);
  TS_CUDA_REQUIRE(static_cast<long long>(steps) * (5LL * units + 32) <= 0x7fffffffLL &&
                      static_cast<long long>(batch) * steps <= 0x7fffffffLL &&
                      static_cast<long long>(features) + 32 <= 0x7fffffffLL,
                  "%s: shape too large batch=%d steps=%d features=%d units=%d", op, batch, steps,
                  features, units);
  TS_CUDA_REQUIRE(kernel && recurrent && bias, "%s: null kernel, recurrent kernel or bias", op);
  const bool needs_extra = kind == TS_RNN_GRU || kind == TS_RNN_LN_SIMPLE;
  TS_CUDA_REQUIRE(!needs_extra || extra, "%s: kind %d needs `extra` (%s)", op, kind,
                  kind == TS_RNN_GRU ? "the recurrent bias [3H]" : "gamma and beta [2H]");
  d.kind = kind;
  d.act = act;
  d.B = batch;
  d.T = steps;
  d.F = features;
  d.H = units;
  d.G = rnn_gates(kind);
  d.GH = d.G * units;
  d.rows = static_cast<long long>(batch) * steps;
  return TS_OK;
}

int device_limits(DeviceLimits& lim) {
  int device = 0, sms = 0, optin = 0, coop = 0;
  TS_CUDA_TRY(check(cudaGetDevice(&device), "rnn: cudaGetDevice"));
  TS_CUDA_TRY(
      check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device), "rnn: SM count"));
  TS_CUDA_TRY(check(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device),
                    "rnn: shared memory limit"));
  TS_CUDA_TRY(check(cudaDeviceGetAttribute(&coop, cudaDevAttrCooperativeLaunch, device),
                    "rnn: cooperative launch support"));
  lim.sms = sms;
  lim.smem_optin = static_cast<size_t>(optin);
  lim.cooperative = coop != 0;
  return TS_OK;
}

namespace {

// A plan depends only on these (T and F never enter it), and the search behind it costs 3 to 10
// attribute and occupancy calls: training repeats the same few shapes, so plans are cached.
struct PlanKey {
  SmemBytes smem;
  Occupancy block_occupancy, grid_occupancy;
  int items_per_unit, kind, B, H, forced, device;
  bool operator==(const PlanKey& o) const {
    return smem == o.smem && block_occupancy == o.block_occupancy &&
           grid_occupancy == o.grid_occupancy && items_per_unit == o.items_per_unit &&
           kind == o.kind && B == o.B && H == o.H && forced == o.forced && device == o.device;
  }
};

struct CachedPlan {
  PlanKey key;
  PersistentShape shape;
  int strategy;
};

// Bounded: a program that cycles through more shapes than this overwrites the oldest entries
// (round robin) and merely searches again.
constexpr int kPlanCacheSize = 128;

struct PlanCache {
  std::mutex mutex;
  CachedPlan entries[kPlanCacheSize];
  int used = 0, next = 0;
};

// Leaked on purpose, like the scratch buffers (common.cuh): no destructor at exit.
PlanCache& plan_cache() {
  static PlanCache* cache = new PlanCache();
  return *cache;
}

bool find_plan(const PlanKey& key, PersistentShape& shape, int& strategy) {
  PlanCache& c = plan_cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (int i = 0; i < c.used; ++i)
    if (c.entries[i].key == key) {
      shape = c.entries[i].shape;
      strategy = c.entries[i].strategy;
      return true;
    }
  return false;
}

void store_plan(const PlanKey& key, const PersistentShape& shape, int strategy) {
  PlanCache& c = plan_cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (int i = 0; i < c.used; ++i)
    if (c.entries[i].key == key) return;  // another thread searched the same shape meanwhile
  c.entries[c.next] = {key, shape, strategy};
  c.next = (c.next + 1) % kPlanCacheSize;
  if (c.used < kPlanCacheSize) ++c.used;
}

int search_plan(const RnnDims& d, SmemBytes smem, Occupancy block_occupancy,
                Occupancy grid_occupancy, int items_per_unit, int forced, PersistentShape& shape,
                int& strategy) {
  strategy = TS_RNN_STRATEGY_STEPS;
  DeviceLimits lim;
  TS_CUDA_TRY(device_limits(lim));
  if (lim.sms < 1) return TS_OK;

  // BLOCK: all units per block, U whole in shared memory. Enough batch rows per block that one
  // wave of blocks covers the batch, fewer when that does not fit.
  bool block_ok = false;
  PersistentShape block{};
  {
    int BB = static_cast<int>(ceil_div(d.B, lim.sms));
    while (BB > 1 && smem(d, d.H, BB) > lim.smem_optin) BB = (BB + 1) / 2;
    const size_t bytes = smem(d, d.H, BB);
    if (bytes <= lim.smem_optin) {
      const int threads = persistent_threads(static_cast<long long>(BB) * d.H * items_per_unit);
      if (block_occupancy(threads, bytes) >= 1) {
        block = {d.H, BB, 1, static_cast<int>(ceil_div(d.B, BB)), threads, bytes};
        block_ok = true;
      }
    }
  }

  // GRID: about one block per SM; the units split into slices, and the batch into as few slices
  // as the shared memory allows (each block keeps full h rows of its batch slice).
  bool grid_ok = false;
  PersistentShape grid{};
  if (lim.cooperative) {
    for (long long wanted = 1; wanted <= d.B && !grid_ok; wanted *= 2) {
      const int BB = static_cast<int>(ceil_div(d.B, wanted));
      const int NB = static_cast<int>(ceil_div(d.B, BB));
      const int max_slices = lim.sms / NB;
      if (max_slices < 1) break;
      const int UB = static_cast<int>(ceil_div(d.H, max_slices));
      const int NS = static_cast<int>(ceil_div(d.H, UB));
      const size_t bytes = smem(d, UB, BB);
      if (bytes > lim.smem_optin) continue;
      const int threads = persistent_threads(static_cast<long long>(BB) * UB * items_per_unit);
      const long long resident = static_cast<long long>(grid_occupancy(threads, bytes)) * lim.sms;
      if (resident >= static_cast<long long>(NS) * NB) {
        grid = {UB, BB, NS, NB, threads, bytes};
        grid_ok = true;
      }
    }
  }

  if (forced == TS_RNN_STRATEGY_GRID && grid_ok) {
    shape = grid;
    strategy = TS_RNN_STRATEGY_GRID;
  } else if (block_ok) {
    shape = block;
    strategy = TS_RNN_STRATEGY_BLOCK;
  } else if (grid_ok) {
    shape = grid;
    strategy = TS_RNN_STRATEGY_GRID;
  }
  return TS_OK;
}

}  // namespace

int rnn_plan(const RnnDims& d, SmemBytes smem, Occupancy block_occupancy, Occupancy grid_occupancy,
             int items_per_unit, PersistentShape& shape, int& strategy) {
  const int forced = rnn_forced_strategy();
  strategy = TS_RNN_STRATEGY_STEPS;
  if (forced == TS_RNN_STRATEGY_STEPS) return TS_OK;
  int device = 0;
  TS_CUDA_TRY(check(cudaGetDevice(&device), "rnn: cudaGetDevice"));
  const PlanKey key{smem, block_occupancy, grid_occupancy, items_per_unit, d.kind, d.B,
                    d.H,  forced,          device};
  if (find_plan(key, shape, strategy)) return TS_OK;
  TS_CUDA_TRY(search_plan(d, smem, block_occupancy, grid_occupancy, items_per_unit, forced, shape,
                          strategy));
  store_plan(key, shape, strategy);
  return TS_OK;
}

bool rnn_cooperative_fallback(cudaError_t err, const char* op, unsigned int blocks) {
  if (rnn_forced_strategy() != TS_RNN_STRATEGY_AUTO) return false;
  if (err != cudaErrorCooperativeLaunchTooLarge && err != cudaErrorLaunchOutOfResources &&
      err != cudaErrorInvalidConfiguration && err != cudaErrorNotSupported)
    return false;
  cudaGetLastError();  // the refusal is not sticky: clear it so the per-step launches run
  // Once per process: a refusal repeats on every call of the shape, and the plan is cached.
  static std::atomic<bool> said{false};
  if (!said.exchange(true))
    std::fprintf(stderr,
                 "timestep: %s: the device refused the cooperative launch of %u blocks (%s); "
                 "running the per-step plan instead (said once)\n",
                 op, blocks, cudaGetErrorName(err));
  return true;
}

}  // namespace timestep::cuda

extern "C" {

int ts_cuda_rnn_set_strategy(int strategy) {
  TS_CUDA_REQUIRE(strategy >= TS_RNN_STRATEGY_AUTO && strategy <= TS_RNN_STRATEGY_GRID,
                  "rnn_set_strategy: unknown strategy %d (0 auto, 1 steps, 2 block, 3 grid)",
                  strategy);
  timestep::cuda::g_forced.store(strategy, std::memory_order_relaxed);
  return TS_OK;
}

int ts_cuda_rnn_last_strategy(void) {
  return timestep::cuda::g_last.load(std::memory_order_relaxed);
}

}  // extern "C"
