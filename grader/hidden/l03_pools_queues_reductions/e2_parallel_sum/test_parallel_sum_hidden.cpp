// Test: exercise 3.2 parallel_sum, hidden tests run by the grader.
//
// Each case compares parallel_sum() with the baseline parallel_sum_sequential() on the same
// array, for several worker counts: the sums must be equal, bit for bit. The known values were
// computed independently (Python integers mod 2^64). A test that runs past its PARLAB_WITHIN
// deadline means a worker never finished: a thread left waiting, a join that never returns, or
// a loop that never runs out of chunks.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
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

TEST(ParallelSumHidden, EmptyArray) {
  PARLAB_WITHIN(10s, kHang) {
    const Values none;
    for (const unsigned workers : {1u, 2u, 64u}) EXPECT_EQ(parlab::parallel_sum(none, workers), 0u) << workers;
  };
}

TEST(ParallelSumHidden, OneValue) {
  PARLAB_WITHIN(10s, kHang) {
    for (const unsigned workers : {1u, 2u, 3u, 8u}) {
      EXPECT_EQ(parlab::parallel_sum(Values{42}, workers), 11964091504887241362u) << workers << " workers";
      EXPECT_EQ(parlab::parallel_sum(Values{0}, workers), 17550456668994262029u) << workers << " workers";
    }
  };
}

TEST(ParallelSumHidden, FewerValuesThanWorkers) {
  PARLAB_WITHIN(20s, kHang) {
    for (const std::size_t size : {2u, 3u, 5u, 7u}) {
      SCOPED_TRACE(std::to_string(size) + " values");
      expect_like_baseline(random_values(size, size), {8, 64, 500});
    }
  };
}

TEST(ParallelSumHidden, EverySmallSize) {
  // An off-by-one in the chunk bounds drops or doubles an element at some size and worker count.
  PARLAB_WITHIN(20s, kHang) {
    const Values values = random_values(70, 17);
    const std::span<const std::uint32_t> all(values);
    for (std::size_t size = 0; size <= all.size(); ++size) {
      SCOPED_TRACE(std::to_string(size) + " values");
      expect_like_baseline(all.first(size), {1, 2, 3, 4, 7, 9});
    }
  };
}

TEST(ParallelSumHidden, PrimeSize) {
  // 1,000,003 is prime: no number of workers splits it into equal chunks.
  PARLAB_WITHIN(25s, kHang) { expect_like_baseline(random_values(1'000'003, 23), {2, 3, 4, 7, 16}); };
}

TEST(ParallelSumHidden, SizesAroundPowersOfTwo) {
  // Wherever a solution cuts its chunks, a boundary is likely to sit at a power of two.
  PARLAB_WITHIN(25s, kHang) {
    const Values values = random_values((std::size_t{1} << 20) + 1, 29);
    const std::span<const std::uint32_t> all(values);
    for (const int shift : {10, 12, 16, 17, 20}) {
      const std::size_t p = std::size_t{1} << shift;
      for (const std::size_t size : {p - 1, p, p + 1}) {
        SCOPED_TRACE(std::to_string(size) + " values");
        expect_like_baseline(all.first(size), {2, 3, 5});
      }
    }
  };
}

TEST(ParallelSumHidden, OneWorker) {
  PARLAB_WITHIN(20s, kHang) { expect_like_baseline(random_values(500'000, 31), {1}); };
}

TEST(ParallelSumHidden, ZeroWorkersIsRejected) {
  const Values values = {1, 2, 3};
  EXPECT_THROW(parlab::parallel_sum(values, 0), std::invalid_argument);
  EXPECT_THROW(parlab::parallel_sum(Values{}, 0), std::invalid_argument);
}

TEST(ParallelSumHidden, KnownValues) {
  PARLAB_WITHIN(20s, kHang) {
    const Values golden = golden_values(100'000);
    const Values largest(1000, 0xFFFFFFFFu);
    for (const unsigned workers : {2u, 3u, 8u}) {
      EXPECT_EQ(parlab::parallel_sum(golden, workers), 15748973146907894887u) << workers << " workers";
      EXPECT_EQ(parlab::parallel_sum(largest, workers), 10764048637030807112u) << workers << " workers";
    }
  };
}

TEST(ParallelSumHidden, ViewAtAnOddOffset) {
  // The view starts and ends at odd offsets of a bigger array; the elements around it must not
  // count, and the ones inside must all count once.
  PARLAB_WITHIN(20s, kHang) {
    Values values = random_values(400'007, 37);
    const auto view = std::span<const std::uint32_t>(values).subspan(3, 333'331);
    const std::uint64_t expected = parlab::parallel_sum_sequential(view);
    values[2] = values[2] ^ 0x5A5A5A5Au;  // outside the view: changing them changes nothing
    values[333'334] = values[333'334] ^ 0x5A5A5A5Au;
    for (const unsigned workers : {2u, 3u, 6u}) {
      EXPECT_EQ(parlab::parallel_sum(view, workers), expected) << workers << " workers";
    }
  };
}

TEST(ParallelSumHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: nothing may be shared between calls.
  PARLAB_WITHIN(25s, kHang) {
    const Values values = random_values(600'000, 41);
    const std::uint64_t expected = parlab::parallel_sum_sequential(values);
    std::vector<std::uint64_t> got(3, 0);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::parallel_sum(values, 3); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) EXPECT_EQ(got[c], expected) << "caller " << c;
  };
}

TEST(ParallelSumHidden, RepeatedCallsGiveTheSameSum) {
  // A lost update (two threads adding into one total without synchronization) shows up as a sum
  // that differs now and then; repeat to give it a chance.
  PARLAB_WITHIN(25s, kHang) {
    const Values values = random_values(700'001, 43);
    const std::uint64_t expected = parlab::parallel_sum_sequential(values);
    for (int round = 0; round < 20; ++round) {
      EXPECT_EQ(parlab::parallel_sum(values, 4), expected) << "round " << round;
    }
  };
}

}  // namespace
