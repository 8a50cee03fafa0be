// Test: exercise 2.2 health_check, public tests. You may add your own.
//
// Every endpoint is a route of the local fixture server (parlab::fixture_health_endpoints()):
// healthy, flaky (a fresh key per check, see health_check_testing.hpp), silent, and a port where
// connections are refused. A test that runs past its PARLAB_WITHIN deadline means a check never
// finished: a timeout that was not set, a thread left waiting or a join that never returns.
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "fixture_env.hpp"
#include "health_check.hpp"
#include "health_check_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::CheckOptions;
using parlab::Health;
namespace ht = parlab::health_testing;

constexpr const char* kHang =
    "check_hosts never returned: an attempt without a timeout, a thread left waiting or a join that waits forever";

// Short timeouts keep the sequential starter quick; the fixture answers healthy requests in
// about a millisecond. An answer due in time has at least 250 ms to spare before its timeout: a
// loaded machine (a class graded side by side, a CI runner) may wake a thread that late.
CheckOptions options(unsigned attempts, std::chrono::milliseconds timeout) { return CheckOptions{attempts, timeout}; }

std::string healthy_after(int delay_ms) { return ht::endpoints().healthy + "?delay=" + std::to_string(delay_ms); }

TEST(HealthCheck, HealthyEndpointIsAlive) {
  PARLAB_WITHIN(10s, kHang) {
    const std::string url = ht::endpoints().healthy;
    ht::expect_reports(parlab::check_hosts({url}, options(2, 1000ms)), {ht::alive(url)});
  };
}

TEST(HealthCheck, FlakyEndpointIsAliveWithHalfTheAttemptsLost) {
  PARLAB_WITHIN(10s, kHang) {
    const std::string url = ht::fresh_flaky_url();
    const auto reports = parlab::check_hosts({url}, options(2, 300ms));
    ht::expect_reports(reports, {ht::fresh_flaky(url)});
    EXPECT_EQ(reports[0].health, Health::lossy) << "1 of 2 answered is the seed's \"alive, but 50 % loss\"";
  };
}

TEST(HealthCheck, SilentEndpointGivesNoResponse) {
  PARLAB_WITHIN(10s, kHang) {
    const std::string url = ht::endpoints().silent;
    ht::expect_reports(parlab::check_hosts({url}, options(2, 200ms)), {ht::silent(url)});
  };
}

TEST(HealthCheck, RefusedEndpointIsUnreachable) {
  PARLAB_WITHIN(10s, kHang) {
    const std::string url = ht::endpoints().refused;
    ht::expect_reports(parlab::check_hosts({url}, options(2, 1000ms)), {ht::refused(url)});
  };
}

TEST(HealthCheck, ReportsComeBackInInputOrder) {
  PARLAB_WITHIN(15s, kHang) {
    // The slow endpoints come first, so checked at once the last ones finish first.
    const auto& e = ht::endpoints();
    const std::string flaky = ht::fresh_flaky_url();
    const std::vector<std::string> urls = {e.silent, flaky, healthy_after(100), e.refused, e.healthy};
    const auto reports = parlab::check_hosts(urls, options(2, 400ms));
    ht::expect_reports(reports, {ht::silent(e.silent), ht::fresh_flaky(flaky), ht::alive(urls[2]),
                                 ht::refused(e.refused), ht::alive(e.healthy)});
  };
}

TEST(HealthCheck, AnyCompleteResponseIsAnAnswer) {
  PARLAB_WITHIN(10s, kHang) {
    // A 503 says the server is up and busy: for a health check, the endpoint is alive.
    const std::string url = parlab::fixture_url() + "/status/503";
    ht::expect_reports(parlab::check_hosts({url}, options(2, 1000ms)), {ht::alive(url, 2, 503)});
  };
}

TEST(HealthCheck, AttemptsOptionIsHonoured) {
  PARLAB_WITHIN(15s, kHang) {
    const auto& e = ht::endpoints();
    const std::string flaky_three = ht::fresh_flaky_url();
    const std::string flaky_one = ht::fresh_flaky_url();
    ht::expect_reports(parlab::check_hosts({flaky_three}, options(3, 250ms)), {ht::fresh_flaky(flaky_three, 3)});
    ht::expect_reports(parlab::check_hosts({flaky_one, e.healthy, e.silent}, options(1, 250ms)),
                       {ht::alive(flaky_one, 1), ht::alive(e.healthy, 1), ht::silent(e.silent, 1)});
    ht::expect_reports(parlab::check_hosts({e.healthy}, options(4, 250ms)), {ht::alive(e.healthy, 4)});
  };
}

TEST(HealthCheck, EachAttemptHasATimeoutOfItsOwn) {
  PARLAB_WITHIN(15s, kHang) {
    // Three attempts of 200 ms each take longer than one timeout, and every one of them is in time.
    const std::string in_time = healthy_after(200);
    const std::string too_late = healthy_after(1000);
    const auto reports = parlab::check_hosts({in_time, too_late}, options(3, 450ms));
    ht::expect_reports(reports, {ht::alive(in_time, 3), ht::silent(too_late, 3)});
  };
}

TEST(HealthCheck, MatchesTheBaseline) {
  PARLAB_WITHIN(15s, kHang) {
    // No flaky endpoint here: the same list then behaves the same for both.
    const auto& e = ht::endpoints();
    const std::vector<std::string> urls = {
        e.healthy, e.refused, healthy_after(50), e.silent, parlab::fixture_url() + "/status/404", e.healthy};
    const auto expected = parlab::check_hosts_sequential(urls, options(2, 300ms));
    ht::expect_reports(parlab::check_hosts(urls, options(2, 300ms)), expected);
  };
}

TEST(HealthCheck, EmptyListGivesNoReports) {
  PARLAB_WITHIN(10s, "check_hosts never returned on an empty list") {
    EXPECT_TRUE(parlab::check_hosts({}, CheckOptions{}).empty());
  };
}

TEST(HealthCheck, BadOptionsAreRejected) {
  const std::vector<std::string> urls = {ht::endpoints().healthy};
  EXPECT_THROW(parlab::check_hosts(urls, options(0, 100ms)), std::invalid_argument);
  EXPECT_THROW(parlab::check_hosts(urls, options(2, 0ms)), std::invalid_argument);
  EXPECT_THROW(parlab::check_hosts(urls, options(2, -5ms)), std::invalid_argument);
}

}  // namespace
