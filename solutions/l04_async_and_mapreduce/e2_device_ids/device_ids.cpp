// Student file: exercise 4.2, device_ids. Reference solution: chunks claimed from a counter, one
// maker and one set of counts per thread, merged after the joins.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "device_ids.hpp"

namespace parlab {
namespace {

// IDs per chunk: about a millisecond of hashing, so when the chunks run out the threads finish
// within a millisecond of each other, even when another program takes a core away for a while;
// large enough that claiming one (an atomic add) costs nothing next to it.
constexpr std::uint64_t kChunk = 4096;

// Chunk 0 holds every index below kFirstIdsKept, so exactly one thread collects first IDs, all of
// them, in index order: merging the threads' counts in any order keeps first_ids in order.
static_assert(kChunk >= kFirstIdsKept);

}  // namespace

DeviceIdCounts device_ids(std::uint64_t seed, std::size_t m, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("device_ids: workers must be at least 1");

  const std::uint64_t chunk_count = (m + kChunk - 1) / kChunk;
  const auto thread_count = static_cast<std::size_t>(std::min<std::uint64_t>(workers, chunk_count));

  // One DeviceIdCounts per thread, written only by its own thread, and read here after the joins
  // (a thread's end happens-before its join returns). The hot loop adds into the thread's own
  // counts; the vectors' 144-byte elements may share a cache line at their edges, but each thread
  // touches its counts once per ID, after a few hundred nanoseconds of hashing, so that costs
  // nothing measurable.
  std::vector<DeviceIdCounts> partial(thread_count);

  // The next chunk nobody has claimed. Relaxed is enough: fetch_add hands every chunk to exactly one
  // thread whatever the interleaving, and nothing is published through the counter.
  std::atomic<std::uint64_t> next{0};

  // An exception in a worker (OpenSSL failing, say) must not end the process: the first one is kept
  // and rethrown on the calling thread after the joins.
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (std::size_t t = 0; t < thread_count; ++t) {
      pool.emplace_back([&, &counts = partial[t]] {
        try {
          DeviceIdMaker maker;  // one fetch and one context per thread, reused for all its IDs
          for (std::uint64_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunk_count;
               c = next.fetch_add(1, std::memory_order_relaxed)) {
            const std::uint64_t begin = c * kChunk;
            count_device_ids(maker, seed, begin, std::min<std::uint64_t>(begin + kChunk, m), counts);
          }
        } catch (...) {
          // Only the first thread to fail writes `failure` (exchange says who); the joins publish it.
          if (!failed.exchange(true)) failure = std::current_exception();
          next.store(chunk_count, std::memory_order_relaxed);  // the others stop after their chunk
        }
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call
  if (failure) std::rethrow_exception(failure);

  DeviceIdCounts counts;
  for (const DeviceIdCounts& part : partial) merge_counts(counts, part);  // counts add in any order
  return counts;
}

}  // namespace parlab
