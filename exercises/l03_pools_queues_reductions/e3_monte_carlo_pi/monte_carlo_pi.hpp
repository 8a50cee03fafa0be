// Given, do not modify: the API of exercise 3.3, monte_carlo_pi, and its concurrency contract.
//
// Estimate pi by throwing random points at the unit square and counting those that land in the
// quarter circle. The samples come in fixed blocks, and every block draws from a generator of
// its own, seeded from (seed, block): so the count does not depend on which thread drew which
// block, and any number of workers gets exactly the hits of the sequential loop.
#pragma once

#include <cstdint>

namespace parlab {

// Samples per block. Block b holds the samples b * kBlockSamples up to (b + 1) * kBlockSamples,
// and the last block of a run stops early when the sample count is not a multiple.
inline constexpr std::uint64_t kBlockSamples = std::uint64_t{1} << 16;

// splitmix64 (Steele, Lea and Flood): advances `state` and returns its next output. Used here
// only to turn (seed, block) into a generator's starting state.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The random numbers of one block: xoshiro256** (Blackman and Vigna), a small, fast generator
// written out here so that every platform and compiler draws exactly the same numbers (the
// distributions of <random> are not specified bit for bit). One generator per block, never
// shared: a generator is state that every draw changes, so two threads drawing from one would
// race, and a lock around it would serialize them.
class BlockGenerator {
 public:
  // The generator of block `block` of a run seeded with `seed`. Blocks get far-apart starting
  // points: the seed picks a key, the block is spread over 64 bits and mixed in, and splitmix64
  // fills the four words of state (never all zero).
  constexpr BlockGenerator(std::uint64_t seed, std::uint64_t block) noexcept {
    std::uint64_t state = seed;
    state = splitmix64(state) ^ (block * 0xD1B54A32D192ED03ULL);
    for (std::uint64_t& word : s_) word = splitmix64(state);
  }

  // The next 64 random bits. Not thread-safe: one generator, one thread.
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4] = {};
};

// Whether one draw is a hit. Its high 32 bits are x and its low 32 bits y, a point of the square
// [0, 2^32) x [0, 2^32); it is a hit when x^2 + y^2 < 2^64, inside the quarter circle of radius
// 2^32, which covers pi / 4 of the square. Integers only: floating point may round differently
// from one compiler or platform to another, and the hit count must be exact.
constexpr bool is_hit(std::uint64_t draw) noexcept {
  const std::uint64_t x = draw >> 32;
  const std::uint64_t y = draw & 0xFFFFFFFFULL;
  return x * x <= ~std::uint64_t{0} - y * y;  // x^2 + y^2 <= 2^64 - 1, without overflowing
}

// The hits among the first `samples` draws of block `block`'s generator (samples is at most
// kBlockSamples in every use here, but any count works). About 3 ns per sample on the course
// machine. Pure function: thread-safe, never throws, blocks nothing.
std::uint64_t count_block_hits(std::uint64_t seed, std::uint64_t block, std::uint64_t samples) noexcept;

// The result of a run: how many samples, how many hits, and 4 * hits / samples.
struct PiEstimate {
  std::uint64_t samples = 0;
  std::uint64_t hits = 0;
  double estimate = 0;
  bool operator==(const PiEstimate&) const = default;
};

// The estimate from a count: {samples, hits, 4.0 * hits / samples}, computed the same way for
// the baseline and for you, so that equal counts give equal doubles. samples must not be 0.
constexpr PiEstimate pi_estimate(std::uint64_t samples, std::uint64_t hits) noexcept {
  return {samples, hits, 4.0 * static_cast<double>(hits) / static_cast<double>(samples)};
}

// The baseline: `samples` samples in blocks 0, 1, 2, ... of kBlockSamples each (the last block
// partial when samples is not a multiple), every block drawn from BlockGenerator(seed, block),
// counted one block after another on the calling thread.
// Throws std::invalid_argument when samples is 0 (an estimate from no samples is 0 / 0).
// Thread-safe: it shares nothing between calls.
PiEstimate monte_carlo_pi_sequential(std::uint64_t samples, std::uint64_t seed);

// The same estimate, the blocks counted by up to `workers` threads at once.
//
// Returns exactly monte_carlo_pi_sequential(samples, seed): the same hits for any number of
// workers, since every block draws from its own generator whichever thread counts it. More
// workers than blocks leaves the extra ones idle (or unstarted). Blocks until every block is
// counted and every thread it started has been joined; no thread outlives the call.
// Throws std::invalid_argument when samples is 0 or workers is 0, std::system_error when a
// thread cannot be started. Thread-safe: several threads may call it at once.
PiEstimate monte_carlo_pi(std::uint64_t samples, std::uint64_t seed, unsigned workers);

}  // namespace parlab
