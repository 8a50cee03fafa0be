// Test: exercise 4.1 async_delays, public tests. You may add your own.
//
//   AnswersComeBackInRequestOrder      the slowest first and the quickest last still come back so
//   AnswersAreParsedFromTheJson        delay_ms and path as the server wrote them; a 200 that is
//                                      not a delay answer is recorded as such
//   TotalIsTheSumOfTheDelays           the reduce, with a failed answer adding nothing
//   MatchesTheBaselineForSeveralCaps   equal to async_delays_sequential for caps 1, 2, 3, 8 and
//                                      kAllAtOnce
//   NeverMoreRequestsInFlightThanTheCap  the fixture server's peak of requests in flight
//   RunsOnTheCallingThreadAlone        no thread appears while the call runs
//
// The tests talk to the fixture server the harness provides, which counts the requests it has in
// flight. A test that runs past its PARLAB_WITHIN deadline means the event loop never finished: a
// transfer never reaped, a slot never refilled, or a wait for news that cannot come.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "async_delays.hpp"
#include "async_delays_testing.hpp"
#include "deadline.hpp"
#include "fixture_content.hpp"
#include "fixture_env.hpp"

namespace {

using namespace std::chrono_literals;
using namespace parlab::delays_testing;
using parlab::async_delays;
using parlab::DelayAnswer;
using parlab::DelaysReport;
using parlab::kAllAtOnce;

TEST(AsyncDelays, AnswersComeBackInRequestOrder) {
  PARLAB_WITHIN(30s, kHang) {
    // Waiting together, the last URL answers first and the first answers last.
    const std::vector<std::uint64_t> delays = {150, 120, 90, 60, 30, 0};
    const std::vector<std::string> urls = delay_urls(delays);
    for (unsigned cap : {3u, kAllAtOnce}) {
      SCOPED_TRACE(cap_trace(cap));
      const DelaysReport report = async_delays(urls, cap);
      ASSERT_EQ(report.answers.size(), urls.size());
      for (std::size_t i = 0; i < urls.size(); ++i) {
        EXPECT_EQ(report.answers[i].url, urls[i]) << "answer " << i << " is not for URL " << i;
        EXPECT_EQ(report.answers[i].delay_ms, delays[i]) << "answer " << i;
      }
    }
  };
}

TEST(AsyncDelays, AnswersAreParsedFromTheJson) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls = {delay(40), delay(0), route("/page/7"), delay(25)};
    const DelaysReport report = async_delays(urls, 4);
    ASSERT_EQ(report.answers.size(), urls.size());
    for (std::size_t i : {0u, 1u, 3u}) {
      const DelayAnswer& answer = report.answers[i];
      // What the server sent, read back with the same JSON library.
      const std::uint64_t ms = i == 0 ? 40 : i == 1 ? 0 : 25;
      const auto sent = nlohmann::json::parse(parlab::fixture::delay_body(ms, "/delay/" + std::to_string(ms)));
      EXPECT_EQ(answer, good_answer(ms)) << "answer " << i;
      EXPECT_EQ(answer.delay_ms, sent["delay_ms"].get<std::uint64_t>());
      EXPECT_EQ(answer.path, sent["path"].get<std::string>());
    }
    const DelayAnswer& page = report.answers[2];
    EXPECT_EQ(page.status, 200) << "an HTML page is a complete transfer";
    EXPECT_EQ(page.error, "not a delay answer");
    EXPECT_EQ(page.delay_ms, 0u);
    EXPECT_EQ(page.path, "");
  };
}

TEST(AsyncDelays, TotalIsTheSumOfTheDelays) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::uint64_t> delays = {35, 5, 80, 20, 60, 10, 45};
    std::vector<std::string> urls = delay_urls(delays);
    std::uint64_t sum = 0;
    for (std::uint64_t ms : delays) sum += ms;
    EXPECT_EQ(async_delays(urls, kAllAtOnce).total_delay_ms, sum);
    // A failed answer adds nothing.
    urls.push_back(route("/page/1"));
    const DelaysReport report = async_delays(urls, 3);
    EXPECT_EQ(report.total_delay_ms, sum);
    EXPECT_EQ(report.failed(), 1u);
  };
}

TEST(AsyncDelays, MatchesTheBaselineForSeveralCaps) {
  PARLAB_WITHIN(60s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t i = 0; i < 12; ++i) urls.push_back(delay((i * 37) % 50));
    urls.push_back(urls[3]);  // listed twice: requested twice
    expect_like_baseline(urls, {1, 2, 3, 8, kAllAtOnce});
  };
}

TEST(AsyncDelays, NeverMoreRequestsInFlightThanTheCap) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls = delay_urls(std::vector<std::uint64_t>(12, 30));
    for (unsigned cap : {1u, 3u, 5u}) {
      parlab::fixture_reset_stats();
      const DelaysReport report = async_delays(urls, cap);
      EXPECT_EQ(report.answers.size(), urls.size());
      EXPECT_EQ(route_stat("delay", "requests"), urls.size()) << cap_trace(cap) << ": one request per URL";
      EXPECT_LE(route_stat("delay", "peak_in_flight"), cap) << cap_trace(cap) << ": more transfers open than allowed";
    }
  };
}

TEST(AsyncDelays, RunsOnTheCallingThreadAlone) {
  PARLAB_WITHIN(30s, kHang) {
    // Watches this process's threads while async_delays waits for 24 answers at once. The watcher
    // is one thread of its own; any other new thread was started by the call.
    const std::vector<std::string> urls = delay_urls(std::vector<std::uint64_t>(24, 60));
    parlab::fixture_url();  // a server started in-process starts its thread now, not during the call
    const std::size_t before = thread_count();
    std::atomic<bool> done{false};
    std::atomic<std::size_t> most{0};
    std::jthread watcher([&] {
      while (!done.load()) {
        most.store(std::max(most.load(), thread_count()));
        std::this_thread::sleep_for(1ms);
      }
    });
    const DelaysReport report = async_delays(urls, kAllAtOnce);
    done.store(true);
    watcher.join();
    EXPECT_EQ(report.answers.size(), urls.size());
    EXPECT_LE(most.load(), before + 1) << "async_delays started threads: it must run on the calling thread alone";
  };
}

}  // namespace
