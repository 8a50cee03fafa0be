// Test: exercise 1.2 sum_of_squares, public tests. You may add your own.
//
// The known values were computed independently, with Python's unbounded integers reduced mod
// 2^64. A test that runs past its PARLAB_WITHIN deadline means a worker never finished: a
// thread left waiting, a join that never returns, or a loop that never runs out of work.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "sum_of_squares.hpp"
#include "sum_of_squares_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::testing::expect_same_sums;
using Sums = std::vector<std::uint64_t>;

constexpr const char* kHang =
    "sum_of_squares never returned: a worker that never finished or a join that waits forever";

TEST(MixedSquare, KnownValues) {
  EXPECT_EQ(parlab::mixed_square(0), 0u);
  EXPECT_EQ(parlab::mixed_square(1), 12994781566227106604u);
  EXPECT_EQ(parlab::mixed_square(1000), 4916551097864136739u);
  EXPECT_EQ(parlab::mixed_square(5'000'000), 3690794969928307853u);
  // (2^32)^2 = 2^64 wraps around to 0.
  EXPECT_EQ(parlab::mixed_square(std::uint64_t{1} << 32), 0u);
}

TEST(MixedSquareSum, RangesAddUp) {
  EXPECT_EQ(parlab::mixed_square_sum(0, 0), 0u);
  EXPECT_EQ(parlab::mixed_square_sum(7, 3), 0u) << "an empty range (begin > end) sums to 0";
  EXPECT_EQ(parlab::mixed_square_sum(0, 3), 18151407987123741601u);
  const std::uint64_t around = std::uint64_t{1} << 32;
  EXPECT_EQ(parlab::mixed_square_sum(around - 1000, around + 1000), 13998351345958371504u);
  for (const std::uint64_t cut : {0u, 1u, 999u, 54'321u, 100'000u}) {
    EXPECT_EQ(parlab::mixed_square_sum(0, cut) + parlab::mixed_square_sum(cut, 100'000),
              parlab::mixed_square_sum(0, 100'000))
        << "cut at " << cut;
  }
}

TEST(SumOfSquaresSequential, KnownValues) {
  const Sums expected = {0u,
                         0u,
                         12994781566227106604u,
                         18151407987123741601u,
                         17341553767181653892u,
                         2706632260174958048u,
                         13642103137455101145u};
  expect_same_sums(parlab::sum_of_squares_sequential({0, 1, 2, 3, 10, 1000, 100'000}), expected);
}

TEST(SumOfSquares, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(20s, kHang) {
    Sums numbers;
    for (std::uint64_t x = 0; x < 20; ++x) numbers.push_back(1'000'000 + x);
    const Sums expected = parlab::sum_of_squares_sequential(numbers);
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      expect_same_sums(parlab::sum_of_squares(numbers, workers), expected);
    }
  };
}

TEST(SumOfSquares, TheLecturesTwentyNumbers) {
  // The lecture's list: 5,000,000 + x for x below 20, about 10^8 mixed squares.
  PARLAB_WITHIN(25s, kHang) {
    Sums numbers;
    for (std::uint64_t x = 0; x < 20; ++x) numbers.push_back(5'000'000 + x);
    const Sums sums = parlab::sum_of_squares(numbers, 4);
    ASSERT_EQ(sums.size(), 20u);
    EXPECT_EQ(sums.front(), 10524127225503105173u) << "the sum for 5,000,000";
    EXPECT_EQ(sums.back(), 455361217637062180u) << "the sum for 5,000,019";
    expect_same_sums(sums, parlab::sum_of_squares_sequential(numbers));
  };
}

TEST(SumOfSquares, ResultsComeBackInInputOrder) {
  PARLAB_WITHIN(20s, kHang) {
    // Largest first, so with several workers the small ones finish first.
    const Sums numbers = {3'000'000, 1'000'000, 100'000, 1000, 10, 3, 2, 1};
    const Sums sums = parlab::sum_of_squares(numbers, 4);
    ASSERT_EQ(sums.size(), numbers.size());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      EXPECT_EQ(sums[i], parlab::mixed_square_sum(0, numbers[i])) << "sum " << i << " is not for number " << i;
    }
    EXPECT_EQ(sums[2], 13642103137455101145u);
    EXPECT_EQ(sums[3], 2706632260174958048u);
  };
}

TEST(SumOfSquares, MoreWorkersThanNumbers) {
  PARLAB_WITHIN(20s, "more workers than numbers and sum_of_squares never returned: an idle worker never stopped") {
    const Sums numbers = {200'000, 10, 300'000};
    expect_same_sums(parlab::sum_of_squares(numbers, 16), parlab::sum_of_squares_sequential(numbers));
  };
}

TEST(SumOfSquares, EmptyListGivesNoSums) {
  PARLAB_WITHIN(10s, "sum_of_squares never returned on an empty list") {
    EXPECT_TRUE(parlab::sum_of_squares({}, 1).empty());
    EXPECT_TRUE(parlab::sum_of_squares({}, 8).empty());
  };
}

TEST(SumOfSquares, ZeroWorkersIsRejected) { EXPECT_THROW(parlab::sum_of_squares({1000}, 0), std::invalid_argument); }

}  // namespace
