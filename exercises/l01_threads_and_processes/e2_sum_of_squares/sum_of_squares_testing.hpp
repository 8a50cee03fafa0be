// Test support, given: what the public and the hidden tests of exercise 1.2 share.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parlab::testing {

// Same length, and equal element by element; a failure names the first index that differs.
inline void expect_same_sums(const std::vector<std::uint64_t>& actual, const std::vector<std::uint64_t>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one sum per number expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "first difference at index " << i;
  }
}

}  // namespace parlab::testing
