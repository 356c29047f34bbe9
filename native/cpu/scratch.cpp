// The large scratch buffers' cache: free lists keyed by exact size, the least recently freed
// evicted first, at most `capacity` bytes in all. Blocks are freed to the system outside the lock.
#include "scratch.h"

#include <sys/mman.h>

#include <cstdlib>
#include <deque>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "errors.h"
#include "timestep/cpu_api.h"

namespace timestep::cpu {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kDefaultCapacity = size_t{256} << 20;

struct Block {
  void* p;
  size_t bytes;
};

struct Cache {
  std::mutex mutex;
  std::deque<Block> blocks;  // the most recently freed first
  size_t cached = 0;
  size_t capacity = kDefaultCapacity;

  // Takes blocks out, oldest first, until at most `limit` bytes stay; the caller frees them.
  std::vector<Block> evict_to(size_t limit) {
    std::vector<Block> out;
    while (cached > limit) {
      out.push_back(blocks.back());
      cached -= blocks.back().bytes;
      blocks.pop_back();
    }
    return out;
  }
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: a kernel may still free scratch during exit
  return *c;
}

void free_blocks(const std::vector<Block>& blocks) {
  for (const Block& b : blocks) std::free(b.p);
}

void release_all() {
  Cache& c = cache();
  std::vector<Block> all;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    all = c.evict_to(0);
  }
  free_blocks(all);
}

void* take_cached(size_t bytes) {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (auto it = c.blocks.begin(); it != c.blocks.end(); ++it) {
    if (it->bytes == bytes) {
      void* p = it->p;
      c.cached -= bytes;
      c.blocks.erase(it);
      return p;
    }
  }
  return nullptr;
}

void* allocate_huge(size_t bytes) {
  void* p = std::aligned_alloc(kHugePage, bytes);
#ifdef MADV_HUGEPAGE
  if (p) madvise(p, bytes, MADV_HUGEPAGE);  // a hint: failure leaves small pages
#endif
  return p;
}

}  // namespace

Scratch::Scratch(Scratch&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

Scratch& Scratch::operator=(Scratch&& other) noexcept {
  if (this != &other) {
    give_back();
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

Scratch::~Scratch() { give_back(); }

void Scratch::give_back() {
  void* p = std::exchange(data_, nullptr);
  if (!p) return;
  if (bytes_ == 0) {
    std::free(p);
    return;
  }
  Cache& c = cache();
  std::vector<Block> evicted;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.blocks.push_front({p, bytes_});
    c.cached += bytes_;
    evicted = c.evict_to(c.capacity);
  }
  free_blocks(evicted);
}

Scratch uninitialized(size_t floats) {
  const size_t bytes = (floats > 0 ? floats : 1) * sizeof(float);
  if (bytes < kLargeScratchBytes) {
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return Scratch(static_cast<float*>(p), 0);
  }
  const size_t whole_pages = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = take_cached(whole_pages);
  if (!p) p = allocate_huge(whole_pages);
  if (!p) {  // cached blocks of other sizes must not cause an out-of-memory
    release_all();
    p = allocate_huge(whole_pages);
  }
  if (!p) throw std::bad_alloc();
  return Scratch(static_cast<float*>(p), whole_pages);
}

}  // namespace timestep::cpu

int ts_cpu_set_scratch_cache(long long bytes) {
  using namespace timestep::cpu;
  TS_CPU_REQUIRE(bytes >= 0, "scratch cache capacity must be >= 0 bytes, got %lld", bytes);
  Cache& c = cache();
  std::vector<Block> evicted;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.capacity = static_cast<size_t>(bytes);
    evicted = c.evict_to(c.capacity);
  }
  free_blocks(evicted);
  return 0;
}

long long ts_cpu_scratch_cached_bytes(void) {
  timestep::cpu::Cache& c = timestep::cpu::cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return static_cast<long long>(c.cached);
}

void ts_cpu_release_scratch(void) { timestep::cpu::release_all(); }
