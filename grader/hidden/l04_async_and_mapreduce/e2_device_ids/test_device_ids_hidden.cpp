// Test: exercise 4.2 device_ids, hidden tests run by the grader.
//
// Each case compares device_ids() with the baseline device_ids_sequential() for the same seed and
// M, for several worker counts: the 16 counts and the first IDs must be equal, and the counts must
// add up to M. The known IDs were computed outside C++ (Python's uuid module for the UUIDs,
// `printf '%s' <uuid> | sha1sum` for the IDs, Python's hashlib for the counts). A test that runs
// past its PARLAB_WITHIN deadline means a worker never finished: a thread left waiting, a join that
// never returns, or a loop that never runs out of indices.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "device_ids.hpp"
#include "device_ids_testing.hpp"

namespace {

using namespace std::chrono_literals;
using Counts = std::array<std::uint64_t, 16>;
using parlab::testing::expect_like_baseline;
using parlab::testing::kHang;
using parlab::testing::total;

TEST(DeviceIdsHidden, NoIds) {
  PARLAB_WITHIN(10s, kHang) {
    for (const unsigned workers : {1u, 2u, 64u}) {
      EXPECT_EQ(parlab::device_ids(9, 0, workers), parlab::DeviceIdCounts{}) << workers << " workers";
    }
  };
}

TEST(DeviceIdsHidden, OneId) {
  // Seed 7, index 0: UUID b4ad0a1d-cfcf-4c0b-afd2-5cc08c641a2a, whose SHA-1 starts with 8.
  PARLAB_WITHIN(10s, kHang) {
    parlab::DeviceIdCounts expected;
    expected.by_first_hex[8] = 1;
    expected.first_ids = {"80c3b2fec1035a106beff75105a7acd1512a938a"};
    for (const unsigned workers : {1u, 2u, 3u, 8u}) {
      EXPECT_EQ(parlab::device_ids(7, 1, workers), expected) << workers << " workers";
    }
  };
}

TEST(DeviceIdsHidden, FewerIdsThanWorkers) {
  PARLAB_WITHIN(20s, kHang) {
    for (const std::size_t m : {2u, 3u, 5u, 7u}) {
      SCOPED_TRACE(std::to_string(m) + " IDs");
      expect_like_baseline(m, m, {8, 64, 500});
    }
  };
}

TEST(DeviceIdsHidden, EverySmallSize) {
  // An off-by-one in the range bounds drops or doubles an ID, or a first ID, at some M and workers.
  PARLAB_WITHIN(25s, kHang) {
    for (std::size_t m = 0; m <= 40; ++m) {
      SCOPED_TRACE(std::to_string(m) + " IDs");
      expect_like_baseline(11, m, {1, 2, 3, 4, 7, 9});
    }
  };
}

TEST(DeviceIdsHidden, SizesNoWorkerCountDivides) {
  // 10,007 is prime; the others sit one off a power of two, where chunk boundaries tend to fall.
  PARLAB_WITHIN(25s, kHang) {
    for (const std::size_t m : {10'007u, 4'095u, 4'097u, 65'537u}) {
      SCOPED_TRACE(std::to_string(m) + " IDs");
      expect_like_baseline(13, m, {2, 3, 5, 7});
    }
  };
}

TEST(DeviceIdsHidden, ManyWorkers) {
  PARLAB_WITHIN(25s, kHang) { expect_like_baseline(17, 50'001, {64, 200}); };
}

TEST(DeviceIdsHidden, KnownCounts) {
  // Counted outside C++ (see the top of this file).
  PARLAB_WITHIN(20s, kHang) {
    const Counts seed1 = {61, 67, 58, 69, 47, 67, 54, 67, 58, 61, 54, 64, 63, 67, 73, 70};
    const Counts seed7 = {1, 0, 3, 0, 1, 2, 0, 0, 2, 2, 0, 3, 2, 0, 1, 0};
    for (const unsigned workers : {1u, 3u, 8u}) {
      EXPECT_EQ(parlab::device_ids(1, 1'000, workers).by_first_hex, seed1) << "seed 1, " << workers << " workers";
      EXPECT_EQ(parlab::device_ids(7, 17, workers).by_first_hex, seed7) << "seed 7, " << workers << " workers";
    }
  };
}

TEST(DeviceIdsHidden, KnownFirstIdsAtExtremeSeeds) {
  // Seed 0 (whose mixed value is 0) and the largest seed; M = 6 keeps 5 IDs, M = 3 keeps 3.
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> seed0 = {
        "877e9fd0e9b90828b39ae01d83e879911479c074", "9179f7dcb9c007dc2c62b3c69053552ef0f0a181",
        "c31c3b34057e9fd20ab20d036447207c01fa771a", "420be7b692a846c5c64d57682562a9bac94d3483",
        "d5d89ffe888b4adc7c541f7c4036371d19d0f892"};
    const std::vector<std::string> seed_max = {
        "d45d4b4f9231214074ab29799301b4941d250cef", "397bade2f33e946fead80401b19c24647c702c86",
        "9419619ffa2ad47c3b77b94fcc1318766cdf473e", "93ede11fab744f7641c53dfb638e8b00d94c7e01",
        "c3a5bd4373e9429821d6d5d491d0f0d8ea482079"};
    for (const unsigned workers : {1u, 2u, 3u, 6u}) {
      EXPECT_EQ(parlab::device_ids(0, 6, workers).first_ids, seed0) << workers << " workers";
      EXPECT_EQ(parlab::device_ids(UINT64_MAX, 6, workers).first_ids, seed_max) << workers << " workers";
      EXPECT_EQ(parlab::device_ids(0, 3, workers).first_ids, std::vector<std::string>(seed0.begin(), seed0.begin() + 3))
          << workers << " workers";
    }
  };
}

TEST(DeviceIdsHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::device_ids(1, 10, 0), std::invalid_argument);
  EXPECT_THROW(parlab::device_ids(1, 0, 0), std::invalid_argument);
}

TEST(DeviceIdsHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: nothing may be shared between calls (a maker above all).
  PARLAB_WITHIN(25s, kHang) {
    const parlab::DeviceIdCounts expected = parlab::device_ids_sequential(19, 60'000);
    std::vector<parlab::DeviceIdCounts> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::device_ids(19, 60'000, 3); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) EXPECT_EQ(got[c], expected) << "caller " << c;
  };
}

TEST(DeviceIdsHidden, RepeatedCallsGiveTheSameCounts) {
  // A lost update (two threads adding into one counter without synchronization) or a maker shared
  // between threads shows up as counts that differ now and then; repeat to give it a chance.
  PARLAB_WITHIN(25s, kHang) {
    const parlab::DeviceIdCounts expected = parlab::device_ids_sequential(23, 30'001);
    for (int round = 0; round < 10; ++round) {
      EXPECT_EQ(parlab::device_ids(23, 30'001, 4), expected) << "round " << round;
    }
  };
}

}  // namespace
