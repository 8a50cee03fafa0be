// Test: exercise 3.3 monte_carlo_pi, hidden tests run by the grader.
//
// Each case compares monte_carlo_pi() with the baseline monte_carlo_pi_sequential() for the
// same samples and seed, for several worker counts: the hits must be equal, exactly. The known
// values were computed independently, in Python. A test that runs past its PARLAB_WITHIN
// deadline means a worker never finished: a thread left waiting, a join that never returns, or
// a loop that never runs out of blocks.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "monte_carlo_pi.hpp"
#include "monte_carlo_pi_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::kBlockSamples;
using parlab::testing::expect_like_baseline;

constexpr const char* kHang =
    "monte_carlo_pi never returned: a worker that never finished or a join that waits forever";

TEST(MonteCarloPiHidden, ZeroSamplesIsRejectedWithAClearMessage) {
  for (const unsigned workers : {1u, 2u, 8u}) {
    try {
      (void)parlab::monte_carlo_pi(0, 1, workers);
      ADD_FAILURE() << "monte_carlo_pi(0 samples) returned instead of throwing std::invalid_argument";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("samples"), std::string::npos)
          << "the message should say that the sample count is the problem, not: " << e.what();
    }
  }
}

TEST(MonteCarloPiHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::monte_carlo_pi(1, 1, 0), std::invalid_argument);
  EXPECT_THROW(parlab::monte_carlo_pi(1'000'000, 1, 0), std::invalid_argument);
}

TEST(MonteCarloPiHidden, OneSample) {
  PARLAB_WITHIN(10s, kHang) {
    for (const unsigned workers : {1u, 2u, 64u}) {
      EXPECT_EQ(parlab::monte_carlo_pi(1, 1, workers), parlab::pi_estimate(1, 1)) << workers << " workers";
    }
  };
}

TEST(MonteCarloPiHidden, EverySmallSampleCount) {
  // All inside one partial block: every worker but one has nothing to do.
  PARLAB_WITHIN(20s, kHang) {
    for (std::uint64_t samples = 1; samples <= 40; ++samples) {
      SCOPED_TRACE(std::to_string(samples) + " samples");
      expect_like_baseline(samples, samples * 7, {1, 2, 3, 8});
    }
  };
}

TEST(MonteCarloPiHidden, CountsNotAMultipleOfTheBlock) {
  PARLAB_WITHIN(25s, kHang) {
    for (const std::uint64_t blocks : {1u, 2u, 3u, 7u}) {
      for (const std::uint64_t samples : {blocks * kBlockSamples - 1, blocks * kBlockSamples + 1}) {
        SCOPED_TRACE(std::to_string(samples) + " samples");
        expect_like_baseline(samples, 11, {2, 3, 5});
      }
    }
    expect_like_baseline(1'000'003, 13, {2, 4, 7});  // a prime count
  };
}

TEST(MonteCarloPiHidden, KnownValues) {
  PARLAB_WITHIN(20s, kHang) {
    for (const unsigned workers : {2u, 3u, 8u}) {
      EXPECT_EQ(parlab::monte_carlo_pi(65'536, 3, workers).hits, 51323u) << workers << " workers";
      EXPECT_EQ(parlab::monte_carlo_pi(65'537, 3, workers).hits, 51323u) << workers << " workers";
      EXPECT_EQ(parlab::monte_carlo_pi(200'003, 42, workers), parlab::pi_estimate(200'003, 156768))
          << workers << " workers";
      EXPECT_EQ(parlab::monte_carlo_pi(1'000'000, 2023, workers), parlab::pi_estimate(1'000'000, 785491))
          << workers << " workers";
    }
  };
}

TEST(MonteCarloPiHidden, MoreWorkersThanBlocks) {
  PARLAB_WITHIN(20s, kHang) {
    expect_like_baseline(kBlockSamples, 17, {2, 9});
    expect_like_baseline(3 * kBlockSamples + 5, 19, {5, 64, 500});
  };
}

TEST(MonteCarloPiHidden, SameHitsForEveryWorkerCount) {
  // A generator per thread instead of per block gives counts that change with the workers.
  PARLAB_WITHIN(25s, kHang) { expect_like_baseline(40 * kBlockSamples + 123, 29, {1, 2, 3, 4, 5, 6, 7, 8, 13}); };
}

TEST(MonteCarloPiHidden, TheSeedMatters) {
  PARLAB_WITHIN(20s, kHang) {
    const std::uint64_t samples = 10 * kBlockSamples;
    for (const std::uint64_t seed : {0u, 1u, 2u, 0xFFFFFFFFu}) {
      SCOPED_TRACE("seed " + std::to_string(seed));
      expect_like_baseline(samples, seed, {2, 3});
    }
    EXPECT_NE(parlab::monte_carlo_pi(samples, 1, 2).hits, parlab::monte_carlo_pi(samples, 2, 2).hits);
  };
}

TEST(MonteCarloPiHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: nothing may be shared between calls.
  PARLAB_WITHIN(25s, kHang) {
    const std::uint64_t samples = 20 * kBlockSamples + 99;
    const parlab::PiEstimate expected = parlab::monte_carlo_pi_sequential(samples, 31);
    std::vector<parlab::PiEstimate> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::monte_carlo_pi(samples, 31, 3); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) EXPECT_EQ(got[c], expected) << "caller " << c;
  };
}

TEST(MonteCarloPiHidden, RepeatedCallsGiveTheSameHits) {
  // A lost update (two threads adding into one count without synchronization) shows up as a
  // count that differs now and then; repeat to give it a chance.
  PARLAB_WITHIN(25s, kHang) {
    const std::uint64_t samples = 30 * kBlockSamples + 7;
    const parlab::PiEstimate expected = parlab::monte_carlo_pi_sequential(samples, 37);
    for (int round = 0; round < 20; ++round) {
      EXPECT_EQ(parlab::monte_carlo_pi(samples, 37, 4), expected) << "round " << round;
    }
  };
}

}  // namespace
