// Test support, given: what the public and the hidden tests of exercise 3.3 share.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <ostream>

#include "monte_carlo_pi.hpp"

namespace parlab {

// How GoogleTest prints a PiEstimate in a failure message (found by argument-dependent lookup).
inline void PrintTo(const PiEstimate& e, std::ostream* os) {
  *os << "{samples " << e.samples << ", hits " << e.hits << ", estimate " << e.estimate << "}";
}

namespace testing {

// monte_carlo_pi(samples, seed, w) equals the baseline, field by field, for every w listed.
inline void expect_like_baseline(std::uint64_t samples, std::uint64_t seed, std::initializer_list<unsigned> workers) {
  const PiEstimate expected = monte_carlo_pi_sequential(samples, seed);
  for (const unsigned w : workers) {
    const PiEstimate got = monte_carlo_pi(samples, seed, w);
    EXPECT_EQ(got.samples, expected.samples) << samples << " samples, seed " << seed << ", " << w << " workers";
    EXPECT_EQ(got.hits, expected.hits) << samples << " samples, seed " << seed << ", " << w
                                       << " workers: the hits differ from the baseline's";
    EXPECT_EQ(got.estimate, expected.estimate) << samples << " samples, seed " << seed << ", " << w << " workers";
  }
}

}  // namespace testing
}  // namespace parlab
