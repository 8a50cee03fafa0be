// Student file: exercise 3.3, monte_carlo_pi. Make monte_carlo_pi() use `workers` threads.
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "monte_carlo_pi.hpp"

namespace parlab {

PiEstimate monte_carlo_pi(std::uint64_t samples, std::uint64_t seed, unsigned workers) {
  if (samples == 0) {
    throw std::invalid_argument("monte_carlo_pi: samples must be at least 1 (no samples would give 0 / 0)");
  }
  if (workers == 0) throw std::invalid_argument("monte_carlo_pi: workers must be at least 1");

  // TODO(student): count the blocks with `workers` threads instead of this one loop.
  // Goal: every core busy counting blocks until the last one is done, and exactly the hits of
  // monte_carlo_pi_sequential(samples, seed), whatever the number of workers.
  // Edge cases: a sample count that is not a multiple of kBlockSamples (the last block is
  // partial), fewer blocks than workers (one block for 10 samples), a single sample.
  // Hint: block b is count_block_hits(seed, b, its size), whichever thread counts it, and the
  // hits of the blocks may be added in any order. Let each thread claim the next block from a
  // std::atomic counter, add its blocks' hits into a local variable, and combine the threads'
  // counts once at the end. Do not give each thread a generator of its own: the result would
  // then depend on the number of workers. std::jthread joins itself when it goes out of scope.
  // You may add helper functions to this file.
  std::uint64_t hits = 0;
  for (std::uint64_t block = 0; block * kBlockSamples < samples; ++block) {
    hits += count_block_hits(seed, block, std::min(kBlockSamples, samples - block * kBlockSamples));
  }
  return pi_estimate(samples, hits);
}

}  // namespace parlab
