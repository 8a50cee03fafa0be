// Test support, given: what the public and hidden tests of exercises 2.3 and 2.4 share (2.4's
// tests find this file through 2.3's folder on their include path): the function under test as
// a value, URLs of the fixture server, and comparisons that name the first difference.
#pragma once

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "fixture_content.hpp"
#include "fixture_env.hpp"
#include "fixture_server.hpp"
#include "random_titles.hpp"

namespace parlab {

// How GoogleTest prints a result when an expectation fails.
inline void PrintTo(const PageTitle& p, std::ostream* os) {
  *os << "{url " << p.url << ", status " << p.status << ", title ";
  if (p.title) {
    *os << '"' << *p.title << '"';
  } else {
    *os << "(none)";
  }
  *os << ", error \"" << p.error << "\"}";
}

inline void PrintTo(const TitlesReport& r, std::ostream* os) {
  *os << "{" << r.pages.size() << " pages, total_chars " << r.total_chars << "}";
}

namespace titles_testing {

// Both exercises answer the same list with the same report; they differ in how they wait, and in
// the name of their concurrency limit: 2.3's `workers` threads, 2.4's `max_in_flight` window.
using TitlesFunction = TitlesReport (*)(const std::vector<std::string>& urls, unsigned limit);
using BaselineFunction = TitlesReport (*)(const std::vector<std::string>& urls);

// One exercise's function, the baseline it must equal, and the words its failures are told in.
// The shared suites (titles_contract.hpp, and the hidden one) take it as their parameter; make it
// with on_worker_threads or on_one_event_loop below.
struct TitlesUnderTest {
  std::string name;              // "random_titles": the suffix of every instantiated test name
  TitlesFunction titles;         // the function under test
  BaselineFunction baseline;     // its given sequential baseline
  std::string limit_name;        // "workers" or "max_in_flight", as its header calls it
  std::string hang;              // what a PARLAB_WITHIN deadline passing means for it
  std::string hang_beyond_list;  // the same, when the limit is larger than the list
};

// 2.3's shape: `workers` threads, each with a session of its own.
inline TitlesUnderTest on_worker_threads(const std::string& name, TitlesFunction titles, BaselineFunction baseline) {
  return {name,
          titles,
          baseline,
          "workers",
          name + " never returned: a worker that never finished or a join that waits forever",
          "more workers than URLs and " + name + " never returned: an idle worker never stopped"};
}

// 2.4's shape: one thread, one event loop, a window of `max_in_flight` transfers.
inline TitlesUnderTest on_one_event_loop(const std::string& name, TitlesFunction titles, BaselineFunction baseline) {
  return {name,
          titles,
          baseline,
          "max_in_flight",
          name + " never returned: a transfer never reaped, a free slot never refilled, or a wait that never ends",
          "a window larger than the list and " + name + " never returned: it waited for a transfer never started"};
}

inline void PrintTo(const TitlesUnderTest& api, std::ostream* os) { *os << api.name; }

// Names each instantiated test after the function it runs, e.g. ".../random_titles".
inline std::string test_name_of(const ::testing::TestParamInfo<TitlesUnderTest>& info) { return info.param.name; }

// "workers = 4" or "max_in_flight = 4": which limit a failure happened at.
inline std::string limit_trace(const TitlesUnderTest& api, unsigned limit) {
  return api.limit_name + " = " + std::to_string(limit);
}

// A URL of the fixture server the harness provides (the grader's, or one started in-process).
inline std::string route(const std::string& path) { return fixture_url() + path; }

// The n-th random-page draw, always the same page; `delay_ms` slows the redirect answer only.
inline std::string draw_url(std::uint64_t draw, int delay_ms = 0) {
  std::string url = route("/random?draw=" + std::to_string(draw));
  if (delay_ms > 0) url += "&delay=" + std::to_string(delay_ms);
  return url;
}

// One of the pages made to test a title parser (fixture::kTitledNames).
inline std::string titled(const std::string& name) { return route("/titled/" + name); }

// A counter of the fixture server for one route ("random", "page", "titled", or "total"):
// "requests" or "peak_in_flight" since the last fixture_reset_stats(); 0 for a route never asked.
inline std::uint64_t route_stat(const char* route_name, const char* field) {
  const auto stats = fixture_stats();
  return stats.contains(route_name) ? stats[route_name].value(field, std::uint64_t{0}) : 0;
}

// What a redirect loop leaves in a PageTitle's `error`.
inline std::string too_many_redirects() { return curl_easy_strerror(CURLE_TOO_MANY_REDIRECTS); }

// Same pages, in the same order, and the same total; a failure names the first index that differs.
inline void expect_same_report(const TitlesReport& actual, const TitlesReport& expected) {
  ASSERT_EQ(actual.pages.size(), expected.pages.size()) << "one result per URL expected";
  for (std::size_t i = 0; i < actual.pages.size(); ++i) {
    ASSERT_EQ(actual.pages[i], expected.pages[i]) << "first difference at index " << i;
  }
  EXPECT_EQ(actual.total_chars, expected.total_chars);
}

// api.titles(urls, limit) equals api.baseline(urls) for every limit listed.
inline void expect_like_baseline(const TitlesUnderTest& api, const std::vector<std::string>& urls,
                                 std::initializer_list<unsigned> limits) {
  const TitlesReport expected = api.baseline(urls);
  for (unsigned limit : limits) {
    SCOPED_TRACE(limit_trace(api, limit));
    expect_same_report(api.titles(urls, limit), expected);
  }
}

// A fixture server of the tests' own, with a seed they know, so that the title behind every
// /random?draw=N follows from fixture_content.hpp alone, with no HTML parser involved (the
// grader's server draws a fresh seed each run). Started on first use; deliberately leaked, like
// fixture_url()'s own server, since tests may still talk to it while static destructors run.
inline constexpr std::uint64_t kKnownSeed = 2024;

inline const fixture::Server& known_seed_server() {
  static const auto* server = new fixture::Server(fixture::Options{.seed = kKnownSeed});
  return *server;
}

inline std::string known_draw_url(std::uint64_t draw) {
  return known_seed_server().url() + "/random?draw=" + std::to_string(draw);
}

inline std::string known_draw_title(std::uint64_t draw) {
  return fixture::page_title(kKnownSeed, fixture::random_page_id(kKnownSeed, draw));
}

inline std::string known_page_title(std::uint64_t id) { return fixture::page_title(kKnownSeed, id); }

}  // namespace titles_testing
}  // namespace parlab
