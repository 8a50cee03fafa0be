// Test: exercise 2.2 health_check, hidden tests run by the grader.
//
// Each case states the report the rules of health_check.hpp predict for endpoints whose
// behaviour the fixture server fixes, or compares check_hosts() with the baseline where no flaky
// endpoint makes the answers depend on timing. A test that runs past its PARLAB_WITHIN deadline
// means a check never finished: an attempt without a timeout, a thread left waiting or a join
// that never returns.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "fixture_env.hpp"
#include "health_check.hpp"
#include "health_check_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::CheckOptions;
using parlab::Failure;
using parlab::Health;
using parlab::HostReport;
namespace ht = parlab::health_testing;
using Clock = std::chrono::steady_clock;

constexpr const char* kHang =
    "check_hosts never returned: an attempt without a timeout, a thread left waiting or a join that waits forever";

// ".invalid" is reserved (RFC 6761): no resolver may ever give it an address.
constexpr const char* kUnresolvable = "http://parlab-no-such-host.invalid/";

// As in the public tests, an answer due in time has at least 250 ms to spare before its timeout.
CheckOptions options(unsigned attempts, std::chrono::milliseconds timeout) { return CheckOptions{attempts, timeout}; }

std::string route(const std::string& path) { return parlab::fixture_url() + path; }

std::string healthy_after(int delay_ms) { return ht::endpoints().healthy + "?delay=" + std::to_string(delay_ms); }

HostReport no_answer(const std::string& url, unsigned attempts, Failure why) {
  return ht::expected_report(url, Health::no_response, 0, attempts, 0, why);
}

std::uint64_t health_requests() { return parlab::fixture_stats()["health"].value("requests", std::uint64_t{0}); }

TEST(HealthCheckHidden, EmptyList) {
  PARLAB_WITHIN(10s, kHang) {
    EXPECT_TRUE(parlab::check_hosts({}, CheckOptions{}).empty());
    EXPECT_TRUE(parlab::check_hosts({}, options(5, 10ms)).empty());
  };
}

TEST(HealthCheckHidden, BadOptionsAreRejectedBeforeAnyCheck) {
  PARLAB_WITHIN(10s, kHang) {
    EXPECT_THROW(parlab::check_hosts({}, options(0, 100ms)), std::invalid_argument) << "even for an empty list";
    EXPECT_THROW(parlab::check_hosts({}, options(1, 0ms)), std::invalid_argument) << "even for an empty list";
    const std::vector<std::string> urls = {ht::endpoints().healthy, ht::endpoints().silent};
    parlab::fixture_reset_stats();  // after the endpoints' index was read: /health counts too
    EXPECT_THROW(parlab::check_hosts(urls, options(0, 100ms)), std::invalid_argument);
    EXPECT_EQ(health_requests(), 0u) << "bad options must throw before any endpoint is checked";
  };
}

TEST(HealthCheckHidden, UnresolvableHostIsUnreachable) {
  PARLAB_WITHIN(15s, kHang) {
    const auto reports = parlab::check_hosts({kUnresolvable, ht::endpoints().healthy}, options(2, 500ms));
    ASSERT_EQ(reports.size(), 2u);
    const HostReport& r = reports[0];
    EXPECT_EQ(r.url, kUnresolvable);
    EXPECT_EQ(r.health, Health::unreachable) << "no address, so no attempt ever got a connection";
    EXPECT_EQ(r.answered, 0u);
    EXPECT_EQ(r.attempts, 2u);
    EXPECT_EQ(r.status, 0);
    // A resolver that answers "no such name" says so; one that never answers runs out the timeout.
    EXPECT_TRUE(r.last_failure == Failure::name_not_resolved || r.last_failure == Failure::timed_out)
        << "last failure: " << parlab::to_string(r.last_failure);
    EXPECT_EQ(reports[1], ht::alive(ht::endpoints().healthy));
  };
}

// The wall time of checking one silent endpoint: `attempts` timeouts run out one after another.
void expect_timeouts_honoured(unsigned attempts, std::chrono::milliseconds timeout) {
  const std::string url = ht::endpoints().silent;
  const Clock::time_point start = Clock::now();
  const auto reports = parlab::check_hosts({url}, options(attempts, timeout));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  ht::expect_reports(reports, {ht::silent(url, attempts)});
  // libcurl's clock has millisecond steps: a timeout may end a fraction of a millisecond early.
  const auto at_least = attempts * (timeout - 2ms);
  // Late by up to half a second per attempt passes: a loaded machine (a class graded side by
  // side, a CI runner) wakes threads late, and a test must not fail correct code for it. A
  // timeout rounded up to whole seconds (CURLOPT_TIMEOUT) or never set still fails.
  const auto at_most = attempts * (timeout + 500ms);
  EXPECT_GE(took, at_least) << attempts << " attempts of " << timeout.count() << " ms each took only " << took.count()
                            << " ms: each attempt waits out its own timeout, one after another";
  EXPECT_LE(took, at_most) << attempts << " attempts of " << timeout.count() << " ms each took " << took.count()
                           << " ms: more than 500 ms late per attempt";
}

TEST(HealthCheckHidden, TimeoutsAreHonoured) {
  PARLAB_WITHIN(15s, kHang) {
    expect_timeouts_honoured(2, 200ms);
    expect_timeouts_honoured(1, 250ms);
    expect_timeouts_honoured(3, 100ms);
  };
}

TEST(HealthCheckHidden, FiftyEndpointsAtOnce) {
  PARLAB_WITHIN(25s, kHang) {
    // One after another about 9 s (ten silent endpoints at 2 x 300 ms, ten flaky at 300 ms);
    // at once about 0.6 s. This checks that every report is right, not how fast.
    const auto& e = ht::endpoints();
    std::vector<std::string> urls;
    std::vector<HostReport> expected;
    for (int i = 0; i < 50; ++i) {
      switch (i % 5) {
        case 0:
          urls.push_back(e.healthy);
          expected.push_back(ht::alive(e.healthy));
          break;
        case 1:
          urls.push_back(ht::fresh_flaky_url());
          expected.push_back(ht::fresh_flaky(urls.back()));
          break;
        case 2:
          urls.push_back(e.silent);
          expected.push_back(ht::silent(e.silent));
          break;
        case 3:
          urls.push_back(e.refused);
          expected.push_back(ht::refused(e.refused));
          break;
        default:
          urls.push_back(healthy_after(40));
          expected.push_back(ht::alive(urls.back()));
          break;
      }
    }
    ht::expect_reports(parlab::check_hosts(urls, options(2, 300ms)), expected);
  };
}

TEST(HealthCheckHidden, AnyCompleteResponseIsAnAnswer) {
  PARLAB_WITHIN(15s, kHang) {
    // /random answers 302; the redirect is an answer in itself and is not followed.
    const std::vector<std::string> urls = {route("/status/404"), route("/status/500"), route("/random?draw=3"),
                                           route("/delay/30"), route("/page/7")};
    ht::expect_reports(parlab::check_hosts(urls, options(2, 1000ms)),
                       {ht::alive(urls[0], 2, 404), ht::alive(urls[1], 2, 500), ht::alive(urls[2], 2, 302),
                        ht::alive(urls[3], 2, 200), ht::alive(urls[4], 2, 200)});
  };
}

TEST(HealthCheckHidden, BrokenAnswersAreNoResponse) {
  PARLAB_WITHIN(15s, kHang) {
    // Connected each time, never a complete answer: a reset, a body cut short, a body too slow.
    const std::vector<std::string> urls = {route("/fault/reset"), route("/fault/truncate?size=2000"),
                                           route("/fault/trickle?size=1000&chunk=100&interval=60")};
    ht::expect_reports(parlab::check_hosts(urls, options(2, 400ms)),
                       {no_answer(urls[0], 2, Failure::transfer_failed),
                        no_answer(urls[1], 2, Failure::transfer_failed), no_answer(urls[2], 2, Failure::timed_out)});
  };
}

TEST(HealthCheckHidden, EachAttemptHasATimeoutOfItsOwn) {
  PARLAB_WITHIN(15s, kHang) {
    // Four answers of 150 ms each: 600 ms in all, longer than one timeout, every one in time.
    const std::string in_time = healthy_after(150);
    const std::string too_late = healthy_after(800);
    ht::expect_reports(parlab::check_hosts({in_time, too_late}, options(4, 400ms)),
                       {ht::alive(in_time, 4), ht::silent(too_late, 4)});
  };
}

TEST(HealthCheckHidden, FlakyEndpointsWithMoreAttempts) {
  PARLAB_WITHIN(15s, kHang) {
    for (unsigned attempts : {1u, 2u, 3u, 5u}) {
      SCOPED_TRACE("attempts = " + std::to_string(attempts));
      const std::string a = ht::fresh_flaky_url();
      const std::string b = ht::fresh_flaky_url();
      ht::expect_reports(parlab::check_hosts({a, b}, options(attempts, 300ms)),
                         {ht::fresh_flaky(a, attempts), ht::fresh_flaky(b, attempts)});
    }
  };
}

TEST(HealthCheckHidden, EveryAttemptIsARequestOfItsOwn) {
  PARLAB_WITHIN(15s, kHang) {
    const auto& e = ht::endpoints();
    const std::vector<std::string> urls = {e.healthy, healthy_after(10), e.refused, e.healthy, ht::fresh_flaky_url()};
    parlab::fixture_reset_stats();
    const auto reports = parlab::check_hosts(urls, options(3, 300ms));
    EXPECT_EQ(reports.size(), urls.size());
    EXPECT_EQ(health_requests(), 12u) << "4 endpoints that accept connections, 3 attempts each";
  };
}

TEST(HealthCheckHidden, DuplicatesAreCheckedAsOftenAsListed) {
  PARLAB_WITHIN(15s, kHang) {
    const auto& e = ht::endpoints();
    const std::vector<std::string> urls = {e.healthy, e.silent, e.refused, e.healthy, e.silent, e.healthy, e.refused};
    const auto reports = parlab::check_hosts(urls, options(2, 300ms));
    ht::expect_reports(reports,
                       {ht::alive(e.healthy), ht::silent(e.silent), ht::refused(e.refused), ht::alive(e.healthy),
                        ht::silent(e.silent), ht::alive(e.healthy), ht::refused(e.refused)});
  };
}

TEST(HealthCheckHidden, OneEndpoint) {
  PARLAB_WITHIN(10s, kHang) {
    const std::string url = healthy_after(5);
    ht::expect_reports(parlab::check_hosts({url}, options(2, 1000ms)), {ht::alive(url)});
  };
}

TEST(HealthCheckHidden, MatchesTheBaseline) {
  PARLAB_WITHIN(20s, kHang) {
    const auto& e = ht::endpoints();
    const std::vector<std::string> urls = {route("/status/503"),  e.silent,  kUnresolvable,     e.refused,
                                           route("/fault/reset"), e.healthy, healthy_after(30), route("/random?draw=1"),
                                           healthy_after(700),    e.healthy};
    for (unsigned attempts : {1u, 2u}) {
      SCOPED_TRACE("attempts = " + std::to_string(attempts));
      const auto expected = parlab::check_hosts_sequential(urls, options(attempts, 300ms));
      ht::expect_reports(parlab::check_hosts(urls, options(attempts, 300ms)), expected);
    }
  };
}

TEST(HealthCheckHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: no shared handle, no shared reports between calls.
  PARLAB_WITHIN(20s, kHang) {
    const auto& e = ht::endpoints();
    std::vector<std::vector<std::string>> lists(3);
    std::vector<std::vector<HostReport>> expected(3);
    for (std::size_t c = 0; c < lists.size(); ++c) {
      const std::string flaky = ht::fresh_flaky_url();  // each caller its own key
      lists[c] = {e.healthy, flaky, e.silent, e.refused, healthy_after(20)};
      expected[c] = {ht::alive(e.healthy), ht::fresh_flaky(flaky), ht::silent(e.silent), ht::refused(e.refused),
                     ht::alive(lists[c][4])};
    }
    std::vector<std::vector<HostReport>> got(lists.size());
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < lists.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::check_hosts(lists[c], options(2, 300ms)); });
      }
    }
    for (std::size_t c = 0; c < lists.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      ht::expect_reports(got[c], expected[c]);
    }
  };
}

}  // namespace
