// A small pool of worker threads for the CPU kernels (private header, not part of the C ABI).
// The calling thread takes part as thread 0, so a pool of n threads starts n-1 workers.
// Kernels split their work into slices sized from the problem alone (run_slices), so results
// do not depend on how many threads ran them.
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

/* Runs body(slice) once for every slice in [0, slices), on up to `threads` threads that each
 * claim the next unclaimed slice, so a thread the OS delays (a busy core) holds up one slice,
 * not a fixed share. A kernel that keeps one partial sum per SLICE and adds them in slice order
 * gets the same bits for every thread count and schedule, as long as it derives `slices` from
 * the problem's size only. Callers inside run_slices at the same time split the cores between
 * them (each gets thread_count() / callers, at least 1). */
void run_slices(int threads, int slices, const std::function<void(int slice)>& body);

/* Items [0, n) split into `threads` contiguous slices: the slice of `thread`. */
inline void slice(long long n, int thread, int threads, long long& begin, long long& end) {
  begin = n * thread / threads;
  end = n * (thread + 1) / threads;
}

}  // namespace timestep::cpu

#endif
