package dev.timestep.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link BlockCache} against an allocator that counts what it allocates and frees. */
class BlockCacheTest {

  /** A block that knows its size and whether someone holds it. */
  static final class FakeBlock {
    final long bytes;
    final AtomicBoolean taken = new AtomicBoolean();

    FakeBlock(long bytes) {
      this.bytes = bytes;
    }
  }

  /**
   * Hands out blocks up to {@code budget} bytes in all; refuses a free of a block it does not hold.
   */
  static final class CountingAllocator implements BlockCache.Allocator<FakeBlock> {
    final AtomicInteger allocations = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger frees = new AtomicInteger();
    final AtomicLong allocatedBytes = new AtomicLong();
    final Set<FakeBlock> live = ConcurrentHashMap.newKeySet();
    private final long budget;

    CountingAllocator(long budget) {
      this.budget = budget;
    }

    @Override
    public FakeBlock allocate(long bytes) {
      if (allocatedBytes.addAndGet(bytes) > budget) {
        allocatedBytes.addAndGet(-bytes);
        failures.incrementAndGet();
        return null;
      }
      FakeBlock block = new FakeBlock(bytes);
      live.add(block);
      allocations.incrementAndGet();
      return block;
    }

    @Override
    public void free(FakeBlock block) {
      if (!live.remove(block)) {
        throw new AssertionError("freed a block that is not allocated (a double free?)");
      }
      allocatedBytes.addAndGet(-block.bytes);
      frees.incrementAndGet();
    }
  }

  private final CountingAllocator allocator = new CountingAllocator(Long.MAX_VALUE);

  @Test
  void aBlockGivenBackIsReusedForTheSameSize() {
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 1 << 20, allocator);
    BlockCache.Taken<FakeBlock> first = cache.take(256);
    assertTrue(first.fresh(), "an empty cache allocates");
    cache.give(first.block(), 256);
    assertEquals(256, cache.cachedBytes());

    BlockCache.Taken<FakeBlock> second = cache.take(256);
    assertSame(first.block(), second.block(), "the cached block comes back");
    assertFalse(second.fresh(), "a cached block is reported as reused");
    assertEquals(1, allocator.allocations.get());
    assertEquals(0, allocator.frees.get());
    assertEquals(0, cache.cachedBytes());
  }

  @Test
  void aDifferentSizeGetsAFreshBlock() {
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 1 << 20, allocator);
    FakeBlock small = cache.take(256).block();
    cache.give(small, 256);

    BlockCache.Taken<FakeBlock> larger = cache.take(512);
    assertTrue(larger.fresh());
    assertNotSame(small, larger.block());
    assertEquals(512, larger.block().bytes);
    assertEquals(2, allocator.allocations.get());
    assertEquals(256, cache.cachedBytes(), "the 256-byte block stays cached");
  }

  @Test
  void aBlockThatWouldOverflowTheCapacityIsFreedAtOnce() {
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 1000, allocator);
    FakeBlock a = cache.take(600).block();
    FakeBlock b = cache.take(600).block();
    FakeBlock huge = cache.take(5000).block();
    cache.give(a, 600);
    assertEquals(600, cache.cachedBytes());
    assertEquals(0, allocator.frees.get());

    cache.give(b, 600);
    assertEquals(1, allocator.frees.get(), "600 + 600 bytes exceed the 1000-byte capacity");
    assertFalse(allocator.live.contains(b));
    cache.give(huge, 5000);
    assertEquals(2, allocator.frees.get(), "a block larger than the whole capacity is never kept");
    assertEquals(600, cache.cachedBytes());
    assertTrue(allocator.live.contains(a), "the block that fit is still held");
  }

  @Test
  void capacityZeroFreesEveryBlockOnGive() {
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 0, allocator);
    cache.give(cache.take(64).block(), 64);
    assertEquals(0, cache.cachedBytes());
    assertEquals(1, allocator.frees.get());
    assertTrue(cache.take(64).fresh(), "with caching off every take allocates");
    assertEquals(2, allocator.allocations.get());
  }

  @Test
  void releaseFreesEveryCachedBlockAndEmptiesTheCache() {
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 1 << 20, allocator);
    List<FakeBlock> blocks = new ArrayList<>();
    long[] sizes = {64, 64, 128, 4096};
    for (long size : sizes) {
      blocks.add(cache.take(size).block());
    }
    for (int i = 0; i < sizes.length; i++) {
      cache.give(blocks.get(i), sizes[i]);
    }
    assertEquals(64 + 64 + 128 + 4096, cache.cachedBytes());

    cache.release();
    assertEquals(0, cache.cachedBytes());
    assertEquals(4, allocator.frees.get());
    assertTrue(allocator.live.isEmpty(), "every block went back to the allocator");
    assertTrue(cache.take(64).fresh(), "nothing is left to reuse");
    cache.release();
    assertEquals(4, allocator.frees.get(), "a second release has nothing to free");
  }

  @Test
  void aFailedAllocationReturnsNull() {
    CountingAllocator small = new CountingAllocator(100);
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 1 << 20, small);
    assertNull(cache.take(101));
    assertEquals(1, small.failures.get(), "an empty cache has nothing to release before a retry");
    assertEquals(0, cache.cachedBytes());
    assertNotNull(cache.take(100), "a block within the budget still comes");
  }

  @Test
  void aFailedAllocationReleasesTheCacheAndTriesOnceMore() {
    CountingAllocator small = new CountingAllocator(100);
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 1 << 20, small);
    FakeBlock parked = cache.take(64).block();
    cache.give(parked, 64); // 64 of the 100 bytes now sit in the cache

    BlockCache.Taken<FakeBlock> taken = cache.take(50);
    assertNotNull(taken, "the cached 64 bytes must not cause an out-of-memory");
    assertTrue(taken.fresh());
    assertEquals(1, small.failures.get(), "the first try failed");
    assertEquals(1, small.frees.get(), "the cached block was freed before the retry");
    assertEquals(0, cache.cachedBytes());

    assertNull(cache.take(60), "with nothing cached a failure is final");
    assertEquals(2, small.failures.get(), "no retry without cached blocks");
  }

  @Test
  void concurrentTakeAndGiveKeepTheCountsConsistent() throws Exception {
    int threads = 8;
    int rounds = 20_000;
    long[] sizes = {16, 32, 48, 64, 1024};
    BlockCache<FakeBlock> cache =
        new BlockCache<>("test", 2048, allocator); // small: blocks overflow too
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger sharedBlocks = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      SplittableRandom random = new SplittableRandom(w);
      done.add(
          pool.submit(
              () -> {
                start.await();
                List<FakeBlock> held = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                  if (held.isEmpty() || (held.size() < 4 && random.nextBoolean())) {
                    long size = sizes[random.nextInt(sizes.length)];
                    FakeBlock block = cache.take(size).block();
                    assertEquals(size, block.bytes, "a block of another size was handed out");
                    if (!block.taken.compareAndSet(false, true)) {
                      sharedBlocks.incrementAndGet();
                    }
                    held.add(block);
                  } else {
                    FakeBlock block = held.remove(random.nextInt(held.size()));
                    block.taken.set(false);
                    cache.give(block, block.bytes);
                  }
                  if (i % 5000 == 4999 && random.nextInt(4) == 0) {
                    cache.release();
                  }
                }
                for (FakeBlock block : held) {
                  block.taken.set(false);
                  cache.give(block, block.bytes);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertEquals(0, sharedBlocks.get(), "a block was handed to two holders at once");
    long liveBytes = allocator.live.stream().mapToLong(b -> b.bytes).sum();
    assertEquals(
        liveBytes,
        cache.cachedBytes(),
        "every block still allocated is exactly what the cache holds");
    assertTrue(cache.cachedBytes() <= 2048, "the capacity held under contention");
    assertEquals(allocator.allocations.get() - allocator.frees.get(), allocator.live.size());
    cache.release();
    assertEquals(
        allocator.allocations.get(),
        allocator.frees.get(),
        "every allocation was freed exactly once");
    assertEquals(0, cache.cachedBytes());
  }

  @Test
  void badArgumentsAreRejectedByName() {
    BlockCache<FakeBlock> cache = new BlockCache<>("test", 100, allocator);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> cache.take(-1))
            .getMessage()
            .contains("negative"));
    assertThrows(IllegalArgumentException.class, () -> cache.give(null, 8));
    assertThrows(IllegalArgumentException.class, () -> cache.give(new FakeBlock(8), -8));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new BlockCache<>("x", -1, allocator))
            .getMessage()
            .contains("capacity"));
    assertThrows(IllegalArgumentException.class, () -> new BlockCache<>("x", 1, null));
  }
}
