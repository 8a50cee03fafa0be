// Student file: exercise 3.3, monte_carlo_pi. Reference solution: blocks claimed from a counter, local counts.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include "monte_carlo_pi.hpp"

namespace parlab {
namespace {

std::uint64_t blocks_in(std::uint64_t samples) {
  return samples / kBlockSamples + (samples % kBlockSamples != 0 ? 1 : 0);
}

// The samples of block b: kBlockSamples, except for a last block cut short.
std::uint64_t samples_in_block(std::uint64_t block, std::uint64_t samples) {
  return std::min(kBlockSamples, samples - block * kBlockSamples);
}

}  // namespace

PiEstimate monte_carlo_pi(std::uint64_t samples, std::uint64_t seed, unsigned workers) {
  if (samples == 0) {
    throw std::invalid_argument("monte_carlo_pi: samples must be at least 1 (no samples would give 0 / 0)");
  }
  if (workers == 0) throw std::invalid_argument("monte_carlo_pi: workers must be at least 1");

  const std::uint64_t block_count = blocks_in(samples);
  const auto thread_count = static_cast<std::size_t>(std::min<std::uint64_t>(workers, block_count));

  // The hits of all blocks. Each thread counts into a local variable and adds it here once, at
  // its end: one atomic add per thread, none per sample or per block.
  std::atomic<std::uint64_t> hits{0};

  // The next block nobody has claimed. Relaxed is enough for both atomics: fetch_add hands every
  // block to exactly one thread whatever the interleaving, and the total reaches this thread
  // through the joins (a thread's end happens-before its join returns). Which thread counts a
  // block does not matter: the block's generator is BlockGenerator(seed, block) either way.
  std::atomic<std::uint64_t> next{0};
  {
    std::vector<std::jthread> pool;
    pool.reserve(thread_count);
    for (std::size_t t = 0; t < thread_count; ++t) {
      pool.emplace_back([samples, seed, block_count, &next, &hits] {
        std::uint64_t local = 0;
        for (std::uint64_t b = next.fetch_add(1, std::memory_order_relaxed); b < block_count;
             b = next.fetch_add(1, std::memory_order_relaxed)) {
          local += count_block_hits(seed, b, samples_in_block(b, samples));
        }
        hits.fetch_add(local, std::memory_order_relaxed);
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call

  return pi_estimate(samples, hits.load(std::memory_order_relaxed));
}

}  // namespace parlab
