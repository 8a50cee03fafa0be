// Test support, given: what the public and hidden tests of exercise 4.1 share: URLs of the fixture
// server, its counters, the threads of this process, and comparisons that name the first
// difference.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "async_delays.hpp"
#include "fixture_env.hpp"

namespace parlab {

// How GoogleTest prints an answer or a report when an expectation fails.
inline void PrintTo(const DelayAnswer& a, std::ostream* os) {
  *os << "{url " << a.url << ", status " << a.status << ", delay_ms " << a.delay_ms << ", path \"" << a.path
      << "\", error \"" << a.error << "\"}";
}

inline void PrintTo(const DelaysReport& r, std::ostream* os) {
  *os << "{" << r.answers.size() << " answers, " << r.failed() << " failed, total_delay_ms " << r.total_delay_ms << "}";
}

namespace delays_testing {

// What a PARLAB_WITHIN deadline passing means for async_delays.
inline const std::string kHang =
    "async_delays never returned: a transfer never reaped, a free slot never refilled, or a wait for news that "
    "cannot come";

// A URL of the fixture server the harness provides (the grader's, or one started in-process).
inline std::string route(const std::string& path) { return fixture_url() + path; }

// The delay endpoint that answers after `ms`.
inline std::string delay(std::uint64_t ms) { return delay_url(fixture_url(), ms); }

// One delay endpoint per entry of `delays`, in order.
inline std::vector<std::string> delay_urls(const std::vector<std::uint64_t>& delays) {
  std::vector<std::string> urls;
  urls.reserve(delays.size());
  for (std::uint64_t ms : delays) urls.push_back(delay(ms));
  return urls;
}

// The answer a delay endpoint gives for `ms`, when all goes well.
inline DelayAnswer good_answer(std::uint64_t ms) {
  const std::string path = "/delay/" + std::to_string(ms);
  return DelayAnswer{fixture_url() + path, 200, ms, path, ""};
}

// A counter of the fixture server for one route ("delay", "status", "fault", or "total"):
// "requests" or "peak_in_flight" since the last fixture_reset_stats(); 0 for a route never asked.
inline std::uint64_t route_stat(const char* route_name, const char* field) {
  const auto stats = fixture_stats();
  return stats.contains(route_name) ? stats[route_name].value(field, std::uint64_t{0}) : 0;
}

// Threads of this process right now.
inline std::size_t thread_count() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

// "max_in_flight = 4", or "max_in_flight = kAllAtOnce": which cap a failure happened at.
inline std::string cap_trace(unsigned cap) {
  return "max_in_flight = " + (cap == kAllAtOnce ? std::string("kAllAtOnce") : std::to_string(cap));
}

// Same answers, in the same order, and the same total; a failure names the first index that
// differs.
inline void expect_same_report(const DelaysReport& actual, const DelaysReport& expected) {
  ASSERT_EQ(actual.answers.size(), expected.answers.size()) << "one answer per URL expected";
  for (std::size_t i = 0; i < actual.answers.size(); ++i) {
    ASSERT_EQ(actual.answers[i], expected.answers[i]) << "first difference at index " << i;
  }
  EXPECT_EQ(actual.total_delay_ms, expected.total_delay_ms);
}

// async_delays(urls, cap) equals async_delays_sequential(urls) for every cap listed.
inline void expect_like_baseline(const std::vector<std::string>& urls, std::initializer_list<unsigned> caps) {
  const DelaysReport expected = async_delays_sequential(urls);
  for (unsigned cap : caps) {
    SCOPED_TRACE(cap_trace(cap));
    expect_same_report(async_delays(urls, cap), expected);
  }
}

}  // namespace delays_testing
}  // namespace parlab
