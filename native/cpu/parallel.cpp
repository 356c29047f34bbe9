// The worker pool behind run_parallel (parallel.h). Workers spin briefly after each job,
// because a training step calls the kernels back to back and a sleeping thread takes tens
// of microseconds to wake; then they sleep on a condition variable so an idle library
// costs no CPU.
#include "parallel.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "errors.h"
#include "timestep/cpu_api.h"

namespace timestep::cpu {
namespace {

constexpr int kMaxThreads = 64;
constexpr auto kSpin = std::chrono::microseconds(100);

// Tells the core this is a spin-wait loop (x86 PAUSE): less power, and the sibling hyperthread
// gets the core.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

int available_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

std::atomic<int> requested_threads{0};  // 0: not set, use available_cpus()
std::atomic<int> kernel_callers{0};     // threads inside run_slices now

class Pool {
 public:
  // Never destroyed: workers die with the process, so no join can hang at exit.
  static Pool& instance() {
    static Pool* pool = new Pool();
    return *pool;
  }

  // False when another caller holds the pool. With optional_workers, body(t) for t > 0 may
  // not run at all: the workers that have not joined by the time the caller's own body(0)
  // returns skip the job (run_slices' bodies claim slices, so a late worker has nothing left to
  // do, and waiting for it to wake would only add its wake-up time: tens of microseconds on a
  // virtual machine whose idle vCPU the host has parked).
  bool try_run(int threads, const std::function<void(int, int)>& body, bool optional_workers) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    grow(threads - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      threads_ = threads;
      optional_ = optional_workers;
      error_ = nullptr;
      pending_.store(optional_workers ? 0 : threads - 1, std::memory_order_relaxed);
      const unsigned long long job = generation_.fetch_add(1, std::memory_order_release) + 1;
      open_job_.store(optional_workers ? job : 0, std::memory_order_seq_cst);
    }
    wake_.notify_all();
    run_slice(0);
    // Close the job to late workers, then wait for those inside it: the seq_cst store and load
    // here, against the worker's increment and load, mean that either the worker sees the job
    // closed or this loop sees the worker.
    open_job_.store(0, std::memory_order_seq_cst);
    // Spin, not sched_yield: a yield hands the core to any other runnable thread of the JVM
    // (compiler, GC) for a whole time slice, and the slices still running are microseconds.
    for (unsigned spins = 1; pending_.load(std::memory_order_acquire) != 0 ||
                             active_.load(std::memory_order_seq_cst) != 0;
         ++spins) {
      cpu_relax();
      if (spins % 4096 == 0) std::this_thread::yield();  // a descheduled worker: let it run
    }
    body_ = nullptr;
    if (error_) std::rethrow_exception(error_);
    return true;
  }

 private:
  void grow(int workers) {
    while (static_cast<int>(workers_.size()) < workers) {
      const int index = static_cast<int>(workers_.size()) + 1;
      // The generation before this job's: a worker that starts late must still run it.
      const unsigned long long seen = generation_.load(std::memory_order_relaxed);
      workers_.emplace_back([this, index, seen] { work(index, seen); });
      workers_.back().detach();
    }
  }

  void run_slice(int thread) {
    try {
      (*body_)(thread, threads_);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void work(int index, unsigned long long seen) {
    for (;;) {
      // Spin for a moment, then sleep until the next job.
      const auto until = std::chrono::steady_clock::now() + kSpin;
      for (unsigned spins = 1; generation_.load(std::memory_order_acquire) == seen; ++spins) {
        cpu_relax();
        if (spins % 64 == 0 && std::chrono::steady_clock::now() >= until)
          break;  // the clock costs ~20 ns
      }
      int threads;
      bool optional;
      {
        // The job's fields are read together with its generation, under the lock that
        // guards their writes, so a late worker never mixes two jobs.
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) != seen; });
        seen = generation_.load(std::memory_order_relaxed);
        threads = threads_;
        optional = optional_;
      }
      // Workers beyond this job's thread count were not counted in pending_.
      if (index >= threads) continue;
      if (optional) {
        active_.fetch_add(1, std::memory_order_seq_cst);
        if (open_job_.load(std::memory_order_seq_cst) == seen) run_slice(index);
        active_.fetch_sub(1, std::memory_order_release);
      } else {
        run_slice(index);
        pending_.fetch_sub(1, std::memory_order_release);
      }
    }
  }

  std::mutex busy_;   // one job at a time
  std::mutex mutex_;  // guards the job fields and the sleep
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
  std::atomic<unsigned long long> generation_{0};
  std::atomic<int> pending_{0};  // workers a job must wait for
  std::atomic<int> active_{0};   // workers inside an optional-workers job
  std::atomic<unsigned long long> open_job_{
      0};  // generation of the optional job still open, else 0
  const std::function<void(int, int)>* body_ = nullptr;
  int threads_ = 1;
  bool optional_ = false;
  std::exception_ptr error_;
};

}  // namespace

int thread_count() {
  // The CPUs this process may use, read once: sched_getaffinity is a system call, and every
  // kernel call asks (about 1% of a batch-1 recurrent forward).
  static const int cpus = available_cpus();
  const int requested = requested_threads.load(std::memory_order_relaxed);
  const int n = requested > 0 ? requested : cpus;
  return n < kMaxThreads ? n : kMaxThreads;
}

void run_parallel(int threads, const std::function<void(int, int)>& body) {
  if (threads > 1 && Pool::instance().try_run(threads, body, false)) return;
  for (int t = 0; t < threads; ++t) body(t, threads);
}

void run_slices(int threads, int slices, const std::function<void(int)>& body) {
  if (slices <= 0) return;
  // Java threads inside kernels at the same time share the cores rather than each taking all
  // of them (two models training side by side on two cores would otherwise run four busy
  // threads). Results do not depend on the thread count, so this changes only the time.
  const int callers = kernel_callers.fetch_add(1, std::memory_order_relaxed) + 1;
  struct Leave {
    ~Leave() { kernel_callers.fetch_sub(1, std::memory_order_relaxed); }
  } leave;
  const int share = std::max(1, thread_count() / callers);
  threads = std::max(1, std::min({threads, slices, share}));
  std::atomic<int> next{0};
  const std::function<void(int, int)> claim = [&](int, int) {
    for (int s = next.fetch_add(1, std::memory_order_relaxed); s < slices;
         s = next.fetch_add(1, std::memory_order_relaxed))
      body(s);
  };
  // The caller claims slices until none are left, so workers that have not started by then
  // need not run at all (optional workers).
  if (threads > 1 && Pool::instance().try_run(threads, claim, true)) return;
  claim(0, 1);
}

}  // namespace timestep::cpu

extern "C" {

int ts_cpu_set_threads(int threads) {
  TS_CPU_REQUIRE(threads >= 0 && threads <= timestep::cpu::kMaxThreads,
                 "set_threads: threads must be 0 (all CPUs) to %d, got %d",
                 timestep::cpu::kMaxThreads, threads);
  timestep::cpu::requested_threads.store(threads, std::memory_order_relaxed);
  return TS_OK;
}

int ts_cpu_threads(void) { return timestep::cpu::thread_count(); }

}  // extern "C"
