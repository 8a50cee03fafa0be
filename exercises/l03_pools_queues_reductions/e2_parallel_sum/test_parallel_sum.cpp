// Test: exercise 3.2 parallel_sum, public tests. You may add your own.
//
// The known values were computed independently, with Python's unbounded integers reduced mod
// 2^64. A test that runs past its PARLAB_WITHIN deadline means a worker never finished: a
// thread left waiting, a join that never returns, or a loop that never runs out of chunks.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "deadline.hpp"
#include "parallel_sum.hpp"
#include "parallel_sum_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::testing::expect_like_baseline;
using parlab::testing::golden_values;
using parlab::testing::random_values;
using Values = std::vector<std::uint32_t>;

constexpr const char* kHang = "parallel_sum never returned: a worker that never finished or a join that waits forever";

TEST(MixedValue, KnownValues) {
  EXPECT_EQ(parlab::mixed_value(0), 17550456668994262029u);
  EXPECT_EQ(parlab::mixed_value(1), 8010866594260326622u);
  EXPECT_EQ(parlab::mixed_value(42), 11964091504887241362u);
  EXPECT_EQ(parlab::mixed_value(1'000'000), 13053505865262220240u);
  EXPECT_EQ(parlab::mixed_value(0xFFFFFFFFu), 12794357691717750077u);
}

TEST(MixedSum, KnownValuesAndCuts) {
  EXPECT_EQ(parlab::mixed_sum({}), 0u) << "an empty span sums to 0";
  Values counting(1000);
  for (std::uint32_t i = 0; i < counting.size(); ++i) counting[i] = i;
  EXPECT_EQ(parlab::mixed_sum(counting), 5314506468609504179u) << "the values 0 .. 999";
  const Values values = random_values(100'000, 3);
  const std::span<const std::uint32_t> all(values);
  for (const std::size_t cut : {0u, 1u, 999u, 54'321u, 100'000u}) {
    EXPECT_EQ(parlab::mixed_sum(all.first(cut)) + parlab::mixed_sum(all.subspan(cut)), parlab::mixed_sum(all))
        << "cut at " << cut;
  }
}

TEST(ParallelSumSequential, KnownValues) {
  EXPECT_EQ(parlab::parallel_sum_sequential(golden_values(100'000)), 15748973146907894887u);
  EXPECT_EQ(parlab::parallel_sum_sequential(Values(1000, 0xFFFFFFFFu)), 10764048637030807112u)
      << "1000 times the largest value: the sum wraps around 2^64";
}

TEST(ParallelSum, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(20s, kHang) { expect_like_baseline(random_values(1'000'000, 7), {1, 2, 3, 4, 8}); };
}

TEST(ParallelSum, KnownValue) {
  PARLAB_WITHIN(20s, kHang) {
    const Values values = golden_values(100'000);
    for (const unsigned workers : {1u, 2u, 4u}) {
      EXPECT_EQ(parlab::parallel_sum(values, workers), 15748973146907894887u) << workers << " workers";
    }
  };
}

TEST(ParallelSum, SumsOnlyTheViewItIsGiven) {
  // A span may view the middle of a bigger array: the elements outside it must not count.
  PARLAB_WITHIN(20s, kHang) {
    const Values values = random_values(300'000, 11);
    const auto middle = std::span<const std::uint32_t>(values).subspan(12'345, 200'001);
    expect_like_baseline(middle, {1, 2, 4});
  };
}

TEST(ParallelSum, MoreWorkersThanValues) {
  PARLAB_WITHIN(20s, "more workers than values and parallel_sum never returned: an idle worker never stopped") {
    expect_like_baseline(random_values(3, 5), {4, 16});
  };
}

TEST(ParallelSum, EmptyArraySumsToZero) {
  PARLAB_WITHIN(10s, "parallel_sum never returned on an empty array") {
    EXPECT_EQ(parlab::parallel_sum({}, 1), 0u);
    EXPECT_EQ(parlab::parallel_sum({}, 8), 0u);
  };
}

TEST(ParallelSum, ZeroWorkersIsRejected) {
  const Values values = {1, 2, 3};
  EXPECT_THROW(parlab::parallel_sum(values, 0), std::invalid_argument);
}

}  // namespace
