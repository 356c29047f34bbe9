// Scratch buffers for the CPU kernels (private header, not part of the C ABI): floats left
// uninitialized, for buffers whose every element a kernel writes before it reads it (a zero fill
// was a pass over memory as large as the buffer, 3% of an LSTM training step).
//
// Buffers of kLargeScratchBytes and more (a backward's gate gradients at large batches, several
// MB each) are aligned to 2 MB, marked for transparent huge pages (a hint, which does nothing
// where they are off), and kept for reuse when freed, up to a capacity
// (ts_cpu_set_scratch_cache). glibc serves such sizes with mmap and unmaps them on free, so
// without the cache every training step paid a page fault, and the kernel's clearing of the page,
// for every page it touched again: 5% of a GRU(64) x2 step at batch 512.
#ifndef TIMESTEP_CPU_SCRATCH_H
#define TIMESTEP_CPU_SCRATCH_H

#include <cstddef>

namespace timestep::cpu {

constexpr size_t kLargeScratchBytes = size_t{4} << 20;

class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  Scratch(Scratch&& other) noexcept;
  Scratch& operator=(Scratch&& other) noexcept;
  ~Scratch();

  float* data() const { return data_; }

 private:
  friend Scratch uninitialized(size_t floats);
  Scratch(float* data, size_t bytes) : data_(data), bytes_(bytes) {}
  void give_back();

  float* data_ = nullptr;
  size_t bytes_ = 0;  // the block's size; 0 for a malloc'd buffer below kLargeScratchBytes
};

/* At least `floats` floats (one when 0), uninitialized: a reused large buffer holds whatever its
 * last user left. Throws std::bad_alloc when memory is exhausted, after freeing the cache. */
Scratch uninitialized(size_t floats);

}  // namespace timestep::cpu

#endif
