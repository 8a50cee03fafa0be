// Test: exercise 1.2 sum_of_squares, hidden tests run by the grader.
//
// Each case compares sum_of_squares() with the baseline sum_of_squares_sequential() on the
// same list, sum by sum, for several worker counts. The known values were computed
// independently (Python integers mod 2^64). A test that runs past its PARLAB_WITHIN deadline
// means a worker never finished: a thread left waiting, a join that never returns, or a loop
// that never runs out of work.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <thread>
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

// sum_of_squares(numbers, w) equals the baseline for every w listed.
void expect_like_baseline(const Sums& numbers, std::initializer_list<unsigned> worker_counts) {
  const Sums expected = parlab::sum_of_squares_sequential(numbers);
  for (unsigned workers : worker_counts) {
    SCOPED_TRACE("workers = " + std::to_string(workers));
    expect_same_sums(parlab::sum_of_squares(numbers, workers), expected);
  }
}

TEST(SumOfSquaresHidden, EmptyList) {
  PARLAB_WITHIN(10s, kHang) {
    for (unsigned workers : {1u, 2u, 64u}) {
      EXPECT_TRUE(parlab::sum_of_squares({}, workers).empty()) << "workers = " << workers;
    }
  };
}

TEST(SumOfSquaresHidden, OneNumber) {
  PARLAB_WITHIN(20s, kHang) {
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      const Sums sums = parlab::sum_of_squares({5'000'000}, workers);
      ASSERT_EQ(sums.size(), 1u) << "workers = " << workers;
      EXPECT_EQ(sums[0], 10524127225503105173u) << "workers = " << workers;
    }
  };
}

TEST(SumOfSquaresHidden, OneWorker) {
  PARLAB_WITHIN(20s, kHang) {
    Sums numbers;
    for (std::uint64_t x = 0; x < 12; ++x) numbers.push_back(300'000 + 7919 * x);
    expect_like_baseline(numbers, {1});
  };
}

TEST(SumOfSquaresHidden, MoreWorkersThanNumbers) {
  PARLAB_WITHIN(20s, kHang) { expect_like_baseline({400'000, 1'000'000, 17, 250'001, 3}, {6, 32, 500}); };
}

TEST(SumOfSquaresHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::sum_of_squares({}, 0), std::invalid_argument);
  EXPECT_THROW(parlab::sum_of_squares({10, 20}, 0), std::invalid_argument);
}

TEST(SumOfSquaresHidden, ZerosInTheList) {
  PARLAB_WITHIN(20s, kHang) {
    for (unsigned workers : {1u, 2u, 4u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      expect_same_sums(parlab::sum_of_squares({0}, workers), {0});
      expect_same_sums(parlab::sum_of_squares({0, 0, 0}, workers), {0, 0, 0});
      expect_same_sums(parlab::sum_of_squares({0, 1000, 0, 3, 0}, workers),
                       {0, 2706632260174958048u, 0, 18151407987123741601u, 0});
    }
  };
}

TEST(SumOfSquaresHidden, EveryTinyNumber) {
  PARLAB_WITHIN(20s, kHang) {
    Sums numbers;
    for (std::uint64_t n = 0; n <= 64; ++n) numbers.push_back(n);
    expect_like_baseline(numbers, {1, 2, 3, 7, 65, 100});
  };
}

TEST(SumOfSquaresHidden, OneHugeNumberAmongManySmallOnes) {
  // Load balance: handed out whole, the big number keeps one worker busy while the others idle.
  // This case checks the answer; the grader's timing is where balance earns points.
  PARLAB_WITHIN(25s, kHang) {
    Sums numbers(60, 1000);
    numbers[37] = 30'000'000;
    for (std::size_t i = 0; i < numbers.size(); i += 7) numbers[i] = 10'000 + i;
    expect_like_baseline(numbers, {2, 4, 9});
  };
}

TEST(SumOfSquaresHidden, HugeNumberFirstAndLast) {
  PARLAB_WITHIN(25s, kHang) { expect_like_baseline({12'000'000, 5, 6, 7, 8, 9, 10, 11'000'001}, {2, 3, 16}); };
}

TEST(SumOfSquaresHidden, NumbersAtPowersOfTwo) {
  // Wherever a solution cuts its ranges, a piece boundary is likely to sit at a power of two.
  PARLAB_WITHIN(25s, kHang) {
    Sums numbers;
    for (int shift : {10, 12, 16, 18, 20}) {
      const std::uint64_t p = std::uint64_t{1} << shift;
      numbers.insert(numbers.end(), {p - 1, p, p + 1});
    }
    expect_like_baseline(numbers, {2, 3, 5});
  };
}

TEST(SumOfSquaresHidden, KnownLargeValues) {
  PARLAB_WITHIN(25s, kHang) {
    const Sums sums = parlab::sum_of_squares({1'000'000, 100'000, 5'000'019, 10}, 3);
    expect_same_sums(sums, {11965980329810480238u, 13642103137455101145u, 455361217637062180u, 17341553767181653892u});
  };
}

TEST(SumOfSquaresHidden, DuplicateNumbers) {
  PARLAB_WITHIN(20s, kHang) { expect_like_baseline({500'000, 500'000, 1, 500'000, 1, 0, 500'000}, {2, 3, 8}); };
}

TEST(SumOfSquaresHidden, ManySmallNumbers) {
  PARLAB_WITHIN(20s, kHang) {
    Sums numbers;
    for (std::uint64_t i = 0; i < 5000; ++i) numbers.push_back((i * 2654435761u) % 4000);
    expect_like_baseline(numbers, {2, 3, 8});
  };
}

TEST(SumOfSquaresHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: nothing may be shared between calls.
  PARLAB_WITHIN(25s, kHang) {
    Sums numbers;
    for (std::uint64_t x = 0; x < 10; ++x) numbers.push_back(400'000 + 1000 * x);
    const Sums expected = parlab::sum_of_squares_sequential(numbers);
    std::vector<Sums> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::sum_of_squares(numbers, 3); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      expect_same_sums(got[c], expected);
    }
  };
}

TEST(SumOfSquaresHidden, RepeatedCallsGiveTheSameResults) {
  // A lost update (two threads adding into one slot without synchronization) shows up as a
  // sum that differs now and then; repeat to give it a chance.
  PARLAB_WITHIN(25s, kHang) {
    const Sums numbers = {2'000'000, 700'000, 700'001, 1'300'000};
    const Sums expected = parlab::sum_of_squares_sequential(numbers);
    for (int round = 0; round < 10; ++round) {
      SCOPED_TRACE("round " + std::to_string(round));
      expect_same_sums(parlab::sum_of_squares(numbers, 4), expected);
    }
  };
}

}  // namespace
