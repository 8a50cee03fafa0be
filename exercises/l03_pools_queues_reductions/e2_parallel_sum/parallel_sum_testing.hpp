// Test support, given: what the public and the hidden tests of exercise 3.2 share.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "parallel_sum.hpp"

namespace parlab::testing {

// `count` values drawn from `seed` by splitmix64 (the top 32 bits of each output): the same
// array on every platform.
inline std::vector<std::uint32_t> random_values(std::size_t count, std::uint64_t seed) {
  std::vector<std::uint32_t> values;
  values.reserve(count);
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    values.push_back(static_cast<std::uint32_t>((z ^ (z >> 31)) >> 32));
  }
  return values;
}

// The values i * 2654435761 mod 2^32 for i below `count`: a sequence whose sums were also
// computed outside C++ (Python integers mod 2^64), for known values.
inline std::vector<std::uint32_t> golden_values(std::size_t count) {
  std::vector<std::uint32_t> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<std::uint32_t>(i * 2654435761u);
  return values;
}

// parallel_sum(values, w) equals the baseline for every w listed; a failure names the workers.
inline void expect_like_baseline(std::span<const std::uint32_t> values, std::initializer_list<unsigned> worker_counts) {
  const std::uint64_t expected = parallel_sum_sequential(values);
  for (const unsigned workers : worker_counts) {
    EXPECT_EQ(parallel_sum(values, workers), expected)
        << values.size() << " values, " << workers << " workers: the sum differs from the baseline's";
  }
}

}  // namespace parlab::testing
