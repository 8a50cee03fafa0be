// Test: exercise 3.3 monte_carlo_pi, public tests. You may add your own.
//
// The known values were computed independently, in Python (unbounded integers, the hit test as
// a plain x^2 + y^2 < 2^64). A test that runs past its PARLAB_WITHIN deadline means a worker
// never finished: a thread left waiting, a join that never returns, or a loop that never runs
// out of blocks.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <numbers>
#include <stdexcept>

#include "deadline.hpp"
#include "monte_carlo_pi.hpp"
#include "monte_carlo_pi_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::testing::expect_like_baseline;

constexpr const char* kHang =
    "monte_carlo_pi never returned: a worker that never finished or a join that waits forever";

TEST(BlockGenerator, KnownFirstDraws) {
  parlab::BlockGenerator first(1, 0);
  EXPECT_EQ(first.next(), 17154914556750032435u);
  EXPECT_EQ(first.next(), 15481925071032317162u);
  EXPECT_EQ(first.next(), 3049712571244418729u);
  parlab::BlockGenerator second(1, 1);
  EXPECT_EQ(second.next(), 6592125140368359645u) << "block 1 has a generator of its own";
}

TEST(IsHit, EdgesOfTheQuarterCircle) {
  const auto point = [](std::uint64_t x, std::uint64_t y) { return (x << 32) | y; };
  EXPECT_TRUE(parlab::is_hit(point(0, 0)));
  EXPECT_TRUE(parlab::is_hit(point(0xFFFFFFFF, 0))) << "x^2 = (2^32 - 1)^2 is below 2^64";
  EXPECT_FALSE(parlab::is_hit(point(0xFFFFFFFF, 0xFFFFFFFF)));
  // 2 x 3037000499^2 is just below 2^64, 2 x 3037000500^2 just above.
  EXPECT_TRUE(parlab::is_hit(point(3037000499, 3037000499)));
  EXPECT_FALSE(parlab::is_hit(point(3037000500, 3037000500)));
}

TEST(CountBlockHits, KnownValues) {
  EXPECT_EQ(parlab::count_block_hits(1, 0, 0), 0u);
  EXPECT_EQ(parlab::count_block_hits(1, 0, 1000), 791u);
  EXPECT_EQ(parlab::count_block_hits(1, 5, parlab::kBlockSamples), 51625u);
}

TEST(MonteCarloPiSequential, KnownValues) {
  EXPECT_EQ(parlab::monte_carlo_pi_sequential(1, 1), parlab::pi_estimate(1, 1));
  EXPECT_EQ(parlab::monte_carlo_pi_sequential(65'537, 3).hits, 51323u) << "a last block of one sample";
  const parlab::PiEstimate million = parlab::monte_carlo_pi_sequential(1'000'000, 2023);
  EXPECT_EQ(million.hits, 785491u);
  EXPECT_EQ(million.estimate, 3.141964);
}

TEST(MonteCarloPi, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(20s, kHang) { expect_like_baseline(1'000'000, 2023, {1, 2, 3, 4, 8}); };
}

TEST(MonteCarloPi, PartialLastBlock) {
  PARLAB_WITHIN(20s, kHang) {
    EXPECT_EQ(parlab::monte_carlo_pi(200'003, 42, 3).hits, 156768u);
    expect_like_baseline(200'003, 42, {1, 2, 4});
  };
}

TEST(MonteCarloPi, MoreWorkersThanBlocks) {
  PARLAB_WITHIN(20s, "more workers than blocks and monte_carlo_pi never returned: an idle worker never stopped") {
    EXPECT_EQ(parlab::monte_carlo_pi(10, 1, 8).hits, 8u);
    expect_like_baseline(3 * parlab::kBlockSamples, 5, {4, 16});
  };
}

TEST(MonteCarloPi, EstimateIsCloseToPi) {
  // 10^7 samples: the estimate's standard deviation is about 0.0005, so 0.01 is 20 of them.
  PARLAB_WITHIN(25s, kHang) {
    const parlab::PiEstimate e = parlab::monte_carlo_pi(10'000'000, 7, 2);
    EXPECT_EQ(e.samples, 10'000'000u);
    EXPECT_NEAR(e.estimate, std::numbers::pi, 0.01);
    EXPECT_EQ(e, parlab::pi_estimate(e.samples, e.hits));
  };
}

TEST(MonteCarloPi, ZeroSamplesIsRejected) {
  EXPECT_THROW(parlab::monte_carlo_pi(0, 1, 2), std::invalid_argument);
  EXPECT_THROW(parlab::monte_carlo_pi_sequential(0, 1), std::invalid_argument);
}

TEST(MonteCarloPi, ZeroWorkersIsRejected) { EXPECT_THROW(parlab::monte_carlo_pi(1000, 1, 0), std::invalid_argument); }

}  // namespace
