// Test: exercise 4.3 mpi_counts, hidden tests run by the grader.
//
// Each case starts the mpi_counts program under mpirun with --impl student and compares rank 0's
// JSON line with device_ids_sequential() computed in this process: the 16 counts and the first IDs,
// in order. The cases are the awkward splits: sizes no number of ranks divides, more ranks than
// IDs (empty slices, whose ranks must still join every collective call), first IDs spread over
// several ranks, and more ranks than cores. Every run has a deadline (kRunTimeout); a job that
// misses it is stopped (SIGTERM to mpirun, which stops its ranks) and fails its test with what a
// hang means, instead of hanging.
#include <gtest/gtest.h>

#include <cstdint>

#include "device_ids.hpp"
#include "mpi_counts.hpp"
#include "mpi_counts_testing.hpp"

namespace {

using parlab::testing::expect_like_baseline;

TEST(MpiCountsHidden, SizesNotDivisibleByTheRanks) {
  expect_like_baseline(2, 3, 1001);
  expect_like_baseline(3, 4, 1000);
  expect_like_baseline(3, 5, 2999);
}

TEST(MpiCountsHidden, NoIdsOnFourRanks) {
  // Every slice is empty: no first IDs, all-zero counts, and still no rank may skip a collective.
  expect_like_baseline(4, 1, 0);
}

TEST(MpiCountsHidden, OneIdOnFourRanks) { expect_like_baseline(4, 2, 1); }

TEST(MpiCountsHidden, TwoIdsOnFourRanks) { expect_like_baseline(4, 3, 2); }

TEST(MpiCountsHidden, FirstIdsSpreadOverSeveralRanks) {
  // 7 IDs on 4 ranks: slices of 2, 2, 2 and 1, so indices 0..4 lie on ranks 0, 1 and 2.
  expect_like_baseline(4, 11, 7);
  // 6 IDs on 5 ranks: slices of 2, 1, 1, 1, 1; the fifth ID is rank 3's only one.
  expect_like_baseline(5, 12, 6);
}

TEST(MpiCountsHidden, ExactlyAsManyIdsAsFirstIdsKept) {
  static_assert(parlab::kFirstIdsKept == 5);
  expect_like_baseline(2, 13, 5);
  expect_like_baseline(3, 14, 4);
}

TEST(MpiCountsHidden, FiveRanks) { expect_like_baseline(5, 21, 10007); }

TEST(MpiCountsHidden, SevenRanksOnAFewCores) {
  // More ranks than this machine has cores (the launcher adds --oversubscribe): they take turns.
  expect_like_baseline(7, 22, 5003);
}

TEST(MpiCountsHidden, ExtremeSeeds) {
  expect_like_baseline(2, 0, 1500);
  expect_like_baseline(2, UINT64_MAX, 1501);
}

TEST(MpiCountsHidden, ALargerCountOnTwoRanks) { expect_like_baseline(2, 31, 200'003); }

TEST(MpiCountsHidden, NineIdsOnTwoThreeAndFourRanks) {
  // An off-by-one in a slice's bounds drops or doubles an ID at some split.
  for (const unsigned ranks : {2u, 3u, 4u}) expect_like_baseline(ranks, 41, 9);
}

}  // namespace
