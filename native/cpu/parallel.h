// A small pool of worker threads for the CPU kernels (private header, not part of the C ABI).
// The calling thread takes part as thread 0, so a pool of n threads starts n-1 workers.
// Work is split statically (thread j always gets the same slice for the same sizes), so a
// kernel that keeps one partial sum per thread and adds them in thread order gives the same
// bits on every run with the same thread count.
#ifndef TIMESTEP_CPU_PARALLEL_H
#define TIMESTEP_CPU_PARALLEL_H

#include <functional>

namespace timestep::cpu {

/* Threads a kernel may use: ts_cpu_set_threads, else the CPUs this process may run on. */
int thread_count();

/* Runs body(thread, threads) on `threads` threads (thread = 0 .. threads-1, thread 0 being
 * the caller) and returns when all are done. When the pool is busy (another Java thread is
 * inside a parallel kernel) the slices run one after the other on the caller, with the same
 * thread indices, so results do not depend on contention. Exceptions thrown by body are
 * rethrown on the caller (the first one). */
void run_parallel(int threads, const std::function<void(int thread, int threads)>& body);

/* Items [0, n) split into `threads` contiguous slices: the slice of `thread`. */
inline void slice(long long n, int thread, int threads, long long& begin, long long& end) {
  begin = n * thread / threads;
  end = n * (thread + 1) / threads;
}

}  // namespace timestep::cpu

#endif
