// Student file: exercise 3.2, parallel_sum. Reference solution: chunks claimed from a counter, local sums.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include "parallel_sum.hpp"

namespace parlab {
namespace {

// Elements per chunk: under a millisecond of work, so when the chunks run out the threads finish
// within a millisecond of each other, even when another program takes a core away for a while;
// large enough that claiming one (an atomic add) costs nothing next to it.
constexpr std::size_t kChunk = std::size_t{1} << 16;

std::size_t chunks_in(std::size_t size) { return size / kChunk + (size % kChunk != 0 ? 1 : 0); }

}  // namespace

std::uint64_t parallel_sum(std::span<const std::uint32_t> values, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("parallel_sum: workers must be at least 1");

  const std::size_t chunk_count = chunks_in(values.size());
  const auto thread_count = std::min<std::size_t>(workers, chunk_count);

  // One total per thread, each written once, by its own thread, after its last chunk: the hot
  // loop adds into a register (inside mixed_sum), so no two threads ever write the same cache
  // line while they work, and no lock or atomic is taken per element.
  std::vector<std::uint64_t> totals(thread_count, 0);

  // The next chunk nobody has claimed. Relaxed is enough: fetch_add hands every chunk to exactly
  // one thread whatever the interleaving, and nothing is published through the counter; the
  // totals reach this thread through the joins (a thread's end happens-before its join returns).
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (std::size_t t = 0; t < thread_count; ++t) {
      pool.emplace_back([values, chunk_count, &next, &total = totals[t]] {
        std::uint64_t local = 0;
        for (std::size_t c = next.fetch_add(1, std::memory_order_relaxed); c < chunk_count;
             c = next.fetch_add(1, std::memory_order_relaxed)) {
          const std::size_t begin = c * kChunk;
          local += mixed_sum(values.subspan(begin, std::min(kChunk, values.size() - begin)));  // a view, no copy
        }
        total = local;
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call

  std::uint64_t sum = 0;  // the threads' totals, in any order: addition mod 2^64 does not care
  for (const std::uint64_t total : totals) sum += total;
  return sum;
}

}  // namespace parlab
