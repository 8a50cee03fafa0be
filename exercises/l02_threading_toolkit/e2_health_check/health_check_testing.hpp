// Test support, given: what the public and the hidden tests of exercise 2.2 share.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "fixture_env.hpp"
#include "health_check.hpp"

namespace parlab {

// How GoogleTest prints a report when an expectation fails.
inline void PrintTo(const HostReport& r, std::ostream* os) {
  *os << "{url " << r.url << ", " << to_string(r.health) << ", answered " << r.answered << " of " << r.attempts
      << ", status " << r.status << ", last failure: " << to_string(r.last_failure) << "}";
}

namespace health_testing {

// The fixture server's health-check endpoints, as its /health index lists them.
struct HealthEndpoints {
  std::string healthy;  // always answers 200 "ok"
  std::string silent;   // accepts, never answers
  std::string refused;  // nothing listens: the connection is refused
  std::string flaky;    // append a key: the 1st, 3rd, ... request to that key is answered, the others not
};

inline const HealthEndpoints& endpoints() {
  static const HealthEndpoints cached = [] {
    const auto index = fixture_health_endpoints();
    return HealthEndpoints{index.at("healthy").get<std::string>(), index.at("silent").get<std::string>(),
                           index.at("refused").get<std::string>(), index.at("flaky").get<std::string>()};
  }();
  return cached;
}

// A flaky endpoint whose key nobody has used yet, so its first request is answered and every
// other one after it is not. The key holds this process's id and a random number, because one
// fixture server serves every test process of a grading run, and a counter for this process.
inline std::string fresh_flaky_url() {
  static const std::string process_tag = [] {
    std::random_device entropy;
    return std::to_string(::getpid()) + "-" + std::to_string(entropy());
  }();
  static std::atomic<std::uint64_t> next{0};
  return endpoints().flaky + "t-" + process_tag + "-" + std::to_string(next.fetch_add(1));
}

// The report the rules of health_check.hpp predict, spelled out field by field.
inline HostReport expected_report(const std::string& url, Health health, unsigned answered, unsigned attempts,
                                  long status, Failure last_failure) {
  HostReport r;
  r.url = url;
  r.health = health;
  r.answered = answered;
  r.attempts = attempts;
  r.status = status;
  r.last_failure = last_failure;
  return r;
}

// The reports of endpoints that behave as the fixture promises, checked with `attempts` attempts.
inline HostReport alive(const std::string& url, unsigned attempts = 2, long status = 200) {
  return expected_report(url, Health::alive, attempts, attempts, status, Failure::none);
}
inline HostReport silent(const std::string& url, unsigned attempts = 2) {
  return expected_report(url, Health::no_response, 0, attempts, 0, Failure::timed_out);
}
inline HostReport refused(const std::string& url, unsigned attempts = 2) {
  return expected_report(url, Health::unreachable, 0, attempts, 0, Failure::could_not_connect);
}
// A fresh flaky key answers attempts 1, 3, 5, ...: ceil(attempts / 2) of them.
inline HostReport fresh_flaky(const std::string& url, unsigned attempts = 2) {
  const unsigned answered = (attempts + 1) / 2;
  if (answered == attempts) return alive(url, attempts);
  return expected_report(url, Health::lossy, answered, attempts, 200, Failure::timed_out);
}

// Same length, and equal report by report; a failure names the first index that differs.
inline void expect_reports(const std::vector<HostReport>& actual, const std::vector<HostReport>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one report per URL expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "first difference at index " << i;
  }
}

}  // namespace health_testing
}  // namespace parlab
