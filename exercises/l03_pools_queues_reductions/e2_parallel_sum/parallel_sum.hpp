// Given, do not modify: the API of exercise 3.2, parallel_sum, and its concurrency contract.
//
// Add up one mixed value per element of a large array. Every element costs the same small amount
// of arithmetic and nothing waits, so only more cores make it faster: split the array into
// chunks, sum each chunk on its own thread into a local total, and add the totals at the end.
#pragma once

#include <cstdint>
#include <span>

namespace parlab {

// How many multiply-xorshift rounds mixed_value() applies to each element.
inline constexpr int kMixRounds = 8;

// The work done for one element: the value widened to 64 bits and passed through kMixRounds
// rounds of add, xorshift, multiply, xorshift (the steps of the splitmix64 mixer), mod 2^64.
//
// Why not sum the plain values: a plain sum does one addition per 4 bytes read, so it waits on
// memory, which two cores share; a compiler may also vectorize it to almost nothing. The mixing
// makes each element cost about ten nanoseconds of arithmetic in registers, so the loop is limited
// by the core that runs it, and two cores really do finish it in about half the time. The
// rounds depend on each other, so no compiler can skip them. mixed_value(0) != 0.
constexpr std::uint64_t mixed_value(std::uint32_t value) noexcept {
  std::uint64_t x = value;
  for (int round = 0; round < kMixRounds; ++round) {
    x += 0x9E3779B97F4A7C15ULL;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
  }
  return x;
}

// mixed_value(values[0]) + mixed_value(values[1]) + ... , mod 2^64; 0 for an empty span. This is
// the baseline's loop: call it on a chunk (a subspan, which views the elements, never copies
// them). About 12 ns per element on the course machine (1.5 ns per round).
//
// Unsigned addition wraps around 2^64, and addition mod 2^64 is associative and commutative, so
// the span may be cut anywhere and the pieces' sums added in any order:
//   mixed_sum(v) == mixed_sum(v.first(k)) + mixed_sum(v.subspan(k))   for every k <= v.size().
// Pure function: reads `values` only, thread-safe, never throws, blocks nothing.
std::uint64_t mixed_sum(std::span<const std::uint32_t> values) noexcept;

// The baseline: mixed_sum(values), one loop on the calling thread, one core busy.
// Never throws. Thread-safe: it shares nothing between calls; `values` is only read.
std::uint64_t parallel_sum_sequential(std::span<const std::uint32_t> values) noexcept;

// The same sum, computed by up to `workers` threads at once.
//
// Returns exactly parallel_sum_sequential(values), for every size (0 elements gives 0) and any
// number of workers: more workers than elements leaves the extra ones idle (or unstarted).
// Blocks until the sum is complete and every thread it started has been joined; no thread
// outlives the call. The elements are read in place, never copied.
// Throws std::invalid_argument when `workers` is 0, std::system_error when a thread cannot be
// started. Thread-safe: several threads may call it at once; `values` is only read, and must
// not change during the call.
std::uint64_t parallel_sum(std::span<const std::uint32_t> values, unsigned workers);

}  // namespace parlab
