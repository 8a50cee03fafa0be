// Given, do not modify: the sequential baseline of exercise 3.3, and count_block_hits().
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "monte_carlo_pi.hpp"

namespace parlab {

std::uint64_t count_block_hits(std::uint64_t seed, std::uint64_t block, std::uint64_t samples) noexcept {
  BlockGenerator generator(seed, block);
  std::uint64_t hits = 0;
  for (std::uint64_t i = 0; i < samples; ++i) hits += is_hit(generator.next()) ? 1 : 0;
  return hits;
}

PiEstimate monte_carlo_pi_sequential(std::uint64_t samples, std::uint64_t seed) {
  if (samples == 0) {
    throw std::invalid_argument("monte_carlo_pi_sequential: samples must be at least 1 (no samples would give 0 / 0)");
  }
  // One block after another on the calling thread: one core busy, the others idle.
  std::uint64_t hits = 0;
  for (std::uint64_t block = 0; block * kBlockSamples < samples; ++block) {
    hits += count_block_hits(seed, block, std::min(kBlockSamples, samples - block * kBlockSamples));
  }
  return pi_estimate(samples, hits);
}

}  // namespace parlab
