// Test: exercise 4.2 device_ids, public tests. You may add your own.
//
// The known UUIDs and IDs were computed outside C++: the UUIDs with Python's integers and its uuid
// module (uuid.UUID(int=(hi << 64) | lo, version=4), hi and lo from the splitmix64 steps that
// device_ids_sequential.cpp describes), each ID with coreutils, `printf '%s' <uuid> | sha1sum`, and
// the counts with Python's hashlib.sha1 over the same UUIDs. A test that runs past its PARLAB_WITHIN
// deadline means a worker never finished: a thread left waiting, a join that never returns, or a
// loop that never runs out of indices.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
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

// The first IDs under seed 42 (indices 0 .. 4) and their UUIDs.
const std::vector<std::string> kSeed42Uuids = {
    "9d591bb7-266b-43f3-b33a-550e28bd9590", "196e01eb-a8e0-40d4-b9c2-c0931cd997a5",
    "bd33ed7b-d245-4c19-9d4d-81cf85c5dd73", "98f6cbcf-ed68-43e8-84b3-acaaeb7731bd",
    "85e86d11-e959-4fc6-b940-3bfb615493f2"};
const std::vector<std::string> kSeed42Ids = {
    "e27450668720b97227f1a016884b708f971f89f9", "d5cc338040f24de53bc52baa6a650fe88059226f",
    "eeab5a44fab6f69275f3f4aba43d3866ad094246", "b32dab6998f8cf82cfccc8aa0c72c986ccc615b8",
    "e10d43358c94e00a001f83a269787a3745159696"};
// The counts of the 10,000 IDs under seed 42, by first hex digit 0 .. f.
constexpr Counts kSeed42Counts10k = {658, 674, 614, 615, 597, 618, 665, 595, 610, 619, 638, 559, 623, 644, 621, 650};

TEST(DeviceUuid, KnownValuesAndShape) {
  for (std::size_t i = 0; i < kSeed42Uuids.size(); ++i) EXPECT_EQ(parlab::device_uuid(42, i), kSeed42Uuids[i]) << i;
  EXPECT_EQ(parlab::device_uuid(42, 999'999), "18fecb45-f335-4f30-b83b-6c0ec295f22f");
  const std::string uuid = parlab::device_uuid(3, 14);
  ASSERT_EQ(uuid.size(), parlab::kUuidLength);
  for (const std::size_t dash : {8u, 13u, 18u, 23u}) EXPECT_EQ(uuid[dash], '-') << uuid;
  EXPECT_EQ(uuid[14], '4') << "version 4: " << uuid;
  EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos) << "variant 10xx: " << uuid;
}

TEST(DeviceIdMaker, KnownIds) {
  parlab::DeviceIdMaker maker;
  for (std::size_t i = 0; i < kSeed42Ids.size(); ++i) EXPECT_EQ(maker.make(42, i), kSeed42Ids[i]) << i;
  EXPECT_EQ(maker.make(42, 999'999), "f667a08bfc8d663f0fc553a20f6bb22321146bb1");
  EXPECT_EQ(maker.make(0, 0), "877e9fd0e9b90828b39ae01d83e879911479c074") << "seed 0, index 0";
  parlab::DeviceIdMaker moved = std::move(maker);  // a moved maker keeps working
  EXPECT_EQ(moved.make(42, 0), kSeed42Ids[0]);
}

TEST(DeviceIdsSequential, KnownCountsAndFirstIds) {
  const parlab::DeviceIdCounts counts = parlab::device_ids_sequential(42, 10'000);
  EXPECT_EQ(counts.by_first_hex, kSeed42Counts10k);
  EXPECT_EQ(counts.first_ids, kSeed42Ids);
  EXPECT_EQ(total(counts), 10'000u);
  EXPECT_EQ(parlab::device_ids_sequential(42, 0), parlab::DeviceIdCounts{}) << "no IDs: zero counts, no first IDs";
}

TEST(CountAndMerge, AnyCutGivesTheBaseline) {
  // Counting [0, k) and [k, m) separately and merging in index order is the baseline, for any k.
  const parlab::DeviceIdCounts expected = parlab::device_ids_sequential(42, 2'000);
  parlab::DeviceIdMaker maker;
  for (const std::uint64_t cut : {0u, 1u, 4u, 5u, 6u, 999u, 2'000u}) {
    parlab::DeviceIdCounts left;
    parlab::DeviceIdCounts right;
    parlab::count_device_ids(maker, 42, 0, cut, left);
    parlab::count_device_ids(maker, 42, cut, 2'000, right);
    parlab::merge_counts(left, right);
    EXPECT_EQ(left, expected) << "cut at " << cut;
  }
}

TEST(DeviceIds, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(25s, kHang) { expect_like_baseline(7, 100'000, {1, 2, 3, 4, 8}); };
}

TEST(DeviceIds, KnownCounts) {
  PARLAB_WITHIN(20s, kHang) {
    for (const unsigned workers : {1u, 2u, 4u}) {
      const parlab::DeviceIdCounts counts = parlab::device_ids(42, 10'000, workers);
      EXPECT_EQ(counts.by_first_hex, kSeed42Counts10k) << workers << " workers";
      EXPECT_EQ(counts.first_ids, kSeed42Ids) << workers << " workers";
    }
  };
}

TEST(DeviceIds, MoreWorkersThanIds) {
  PARLAB_WITHIN(20s, "more workers than IDs and device_ids never returned: an idle worker never stopped") {
    expect_like_baseline(42, 3, {4, 16});
  };
}

TEST(DeviceIds, NoIds) {
  PARLAB_WITHIN(10s, "device_ids never returned for M = 0") {
    EXPECT_EQ(parlab::device_ids(42, 0, 1), parlab::DeviceIdCounts{});
    EXPECT_EQ(parlab::device_ids(42, 0, 8), parlab::DeviceIdCounts{});
  };
}

TEST(DeviceIds, ZeroWorkersIsRejected) { EXPECT_THROW(parlab::device_ids(42, 10, 0), std::invalid_argument); }

}  // namespace
