// Test support, given: what the public and the hidden tests of exercise 1.3 share.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "pool_protocol.hpp"

namespace parlab::testing {

// Sets an environment variable for one test; worker processes started meanwhile inherit it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

// What the pool must return for these numbers: problem(n) for each, in order.
inline std::vector<std::uint64_t> expected_for(const std::vector<std::uint64_t>& numbers) {
  std::vector<std::uint64_t> expected;
  for (std::uint64_t n : numbers) expected.push_back(parlab::pool::problem(n));
  return expected;
}

// Same length, and equal element by element; a failure names the first index that differs.
inline void expect_same(const std::vector<std::uint64_t>& actual, const std::vector<std::uint64_t>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one result per number expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "first difference at index " << i;
  }
}

}  // namespace parlab::testing
