// Given, do not modify: helpers the public and the hidden tests of exercise 4.2 share.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <numeric>

#include "device_ids.hpp"

namespace parlab::testing {

// What a test that runs past its PARLAB_WITHIN deadline reports.
inline constexpr const char* kHang =
    "device_ids never returned: a worker that never finished or a join that waits forever";

// The sum of the 16 counts: M when every ID was counted once.
inline std::uint64_t total(const DeviceIdCounts& counts) {
  return std::accumulate(counts.by_first_hex.begin(), counts.by_first_hex.end(), std::uint64_t{0});
}

// device_ids(seed, m, w) equals the baseline for every w listed; a failure names the workers.
inline void expect_like_baseline(std::uint64_t seed, std::size_t m, std::initializer_list<unsigned> worker_counts) {
  const DeviceIdCounts expected = device_ids_sequential(seed, m);
  for (const unsigned workers : worker_counts) {
    const DeviceIdCounts got = device_ids(seed, m, workers);
    EXPECT_EQ(got.by_first_hex, expected.by_first_hex) << m << " IDs, " << workers << " workers: the counts differ";
    EXPECT_EQ(got.first_ids, expected.first_ids) << m << " IDs, " << workers << " workers: the first IDs differ";
    EXPECT_EQ(total(got), m) << m << " IDs, " << workers << " workers: the counts do not add up to M";
  }
}

}  // namespace parlab::testing
