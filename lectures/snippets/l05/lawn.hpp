// Lecture snippet helper (lecture 5): the lawn, the unit of CPU work the lecture 5 snippets share.
#pragma once

#include <cstdint>

namespace l05 {

// One step of the lawn: a murmur3-style mix of one 64-bit value, about 2 ns, which no compiler can
// sum in closed form over a range.
inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The lawn: each step needs only its own index, so any strip [begin, end) can be mown by anyone,
// and the strips' sums add up (mod 2^64) to the same total however the range is cut.
inline std::uint64_t mow(std::uint64_t begin, std::uint64_t end) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = begin; i < end; ++i) sum += mix(i);
  return sum;
}

}  // namespace l05
