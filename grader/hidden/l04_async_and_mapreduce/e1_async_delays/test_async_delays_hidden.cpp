// Hidden test: exercise 4.1 async_delays, the grader's own cases beyond the public tests.
//
//   EmptyListMakesNoRequest             K = 0: an empty report, no request, for any cap
//   ErrorStatusIsRecordedInItsSlot      a 503, a 404 and a 302 (not followed) land in their own
//                                       answer; the others are still answered
//   ResetAndTruncatedAnswersAreErrors   a connection reset and a truncated body are libcurl
//                                       errors in their answer; a slow body still completes
//   BodiesThatAreNotDelayAnswers        HTML, other JSON, plain text, a 400
//   TwoHundredRequestsUnderACap         the answers, the total, and the server's peak of requests
//                                       in flight, never above the cap (that they overlap at all is
//                                       the speedup part's evidence: a sequential starter must pass
//                                       every test, since `make test` runs these on it)
//   SlowFirstAnswerStillComesFirst      a long wait at index 0 while the window keeps turning
//   DuplicatesAreRequestedAsOftenAsListed, CapLargerThanTheList, CallsFromSeveralThreads,
//   RepeatedCallsGiveTheSameReport
//
// A test that runs past its PARLAB_WITHIN deadline means the event loop never finished: a
// transfer never reaped, a free slot never refilled, or a wait for news that cannot come.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "async_delays.hpp"
#include "async_delays_testing.hpp"
#include "deadline.hpp"
#include "fixture_env.hpp"

namespace {

using namespace std::chrono_literals;
using namespace parlab::delays_testing;
using parlab::async_delays;
using parlab::DelayAnswer;
using parlab::DelaysReport;
using parlab::kAllAtOnce;

TEST(AsyncDelaysHidden, EmptyListMakesNoRequest) {
  PARLAB_WITHIN(10s, kHang) {
    for (unsigned cap : {1u, 7u, kAllAtOnce}) {
      SCOPED_TRACE(cap_trace(cap));
      parlab::fixture_reset_stats();
      const DelaysReport report = async_delays({}, cap);
      EXPECT_TRUE(report.answers.empty());
      EXPECT_EQ(report.total_delay_ms, 0u);
      EXPECT_EQ(report.failed(), 0u);
      EXPECT_EQ(route_stat("total", "requests"), 0u) << "an empty list makes no request";
    }
  };
}

TEST(AsyncDelaysHidden, ErrorStatusIsRecordedInItsSlot) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls = {delay(30), route("/status/503?delay=20"), delay(10), route("/status/404"),
                                           delay(50), route("/redirect/0"),          delay(0)};
    for (unsigned cap : {2u, kAllAtOnce}) {
      SCOPED_TRACE(cap_trace(cap));
      const DelaysReport report = async_delays(urls, cap);
      ASSERT_EQ(report.answers.size(), urls.size());
      const DelayAnswer& unavailable = report.answers[1];
      EXPECT_EQ(unavailable.url, urls[1]);
      EXPECT_EQ(unavailable.status, 503);
      EXPECT_EQ(unavailable.error, "HTTP status 503") << "an error status is an answer, recorded, not thrown";
      EXPECT_EQ(unavailable.delay_ms, 0u);
      EXPECT_EQ(unavailable.path, "");
      EXPECT_EQ(report.answers[3].status, 404);
      EXPECT_EQ(report.answers[3].error, "HTTP status 404");
      EXPECT_EQ(report.answers[5].status, 302) << "redirects are not followed";
      EXPECT_EQ(report.answers[5].error, "HTTP status 302");
      for (std::size_t i : {0u, 2u, 4u, 6u}) EXPECT_EQ(report.answers[i].error, "") << "answer " << i;
      EXPECT_EQ(report.answers[4], good_answer(50));
      EXPECT_EQ(report.failed(), 3u);
      EXPECT_EQ(report.total_delay_ms, 90u) << "a failed answer adds nothing to the total";
    }
    expect_like_baseline(urls, {1, 3, kAllAtOnce});
  };
}

TEST(AsyncDelaysHidden, ResetAndTruncatedAnswersAreErrors) {
  PARLAB_WITHIN(30s, kHang) {
    // With a cap of 2, every failure must free its slot for the next URL.
    const std::vector<std::string> urls = {route("/fault/reset"),
                                           delay(20),
                                           route("/fault/truncate?size=3000"),
                                           delay(5),
                                           route("/fault/reset"),
                                           route("/fault/trickle?size=600&chunk=100&interval=10"),
                                           delay(15),
                                           route("/fault/truncate?size=40&delay=30"),
                                           delay(0)};
    const DelaysReport report = async_delays(urls, 2);
    ASSERT_EQ(report.answers.size(), urls.size());
    EXPECT_EQ(report.answers[0].status, 0) << "a reset before any response has no status";
    EXPECT_EQ(report.answers[0].error, curl_easy_strerror(CURLE_RECV_ERROR));
    EXPECT_EQ(report.answers[2].status, 200);
    EXPECT_EQ(report.answers[2].error, curl_easy_strerror(CURLE_PARTIAL_FILE)) << "a truncated body is an error";
    EXPECT_EQ(report.answers[4].error, curl_easy_strerror(CURLE_RECV_ERROR));
    EXPECT_EQ(report.answers[5].error, "not a delay answer") << "a slow body is still a complete transfer";
    EXPECT_EQ(report.answers[7].error, curl_easy_strerror(CURLE_PARTIAL_FILE));
    for (std::size_t i : {1u, 3u, 6u, 8u}) EXPECT_EQ(report.answers[i].error, "") << "answer " << i;
    EXPECT_EQ(report.total_delay_ms, 40u);
    expect_like_baseline(urls, {1, 4, kAllAtOnce});
  };
}

TEST(AsyncDelaysHidden, BodiesThatAreNotDelayAnswers) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls = {
        route("/page/3"),    delay(10),         route("/health"), route("/status/200"),
        route("/delay/abc"), route("/nowhere"), delay(20)};
    const DelaysReport report = async_delays(urls, 3);
    ASSERT_EQ(report.answers.size(), urls.size());
    EXPECT_EQ(report.answers[0].error, "not a delay answer") << "HTML";
    EXPECT_EQ(report.answers[2].error, "not a delay answer") << "JSON without delay_ms and path";
    EXPECT_EQ(report.answers[3].error, "not a delay answer") << "plain text";
    EXPECT_EQ(report.answers[4].error, "HTTP status 400");
    EXPECT_EQ(report.answers[5].error, "HTTP status 404");
    EXPECT_EQ(report.answers[1], good_answer(10));
    EXPECT_EQ(report.answers[6], good_answer(20));
    EXPECT_EQ(report.total_delay_ms, 30u);
    expect_like_baseline(urls, {1, 2, kAllAtOnce});
  };
}

TEST(AsyncDelaysHidden, TwoHundredRequestsUnderACap) {
  PARLAB_WITHIN(60s, kHang) {
    std::vector<std::uint64_t> delays;
    std::uint64_t sum = 0;
    for (std::uint64_t i = 0; i < 200; ++i) {
      delays.push_back(10 + (i * 7) % 21);
      sum += delays.back();
    }
    const std::vector<std::string> urls = delay_urls(delays);
    for (unsigned cap : {7u, 20u}) {
      SCOPED_TRACE(cap_trace(cap));
      parlab::fixture_reset_stats();
      const DelaysReport report = async_delays(urls, cap);
      ASSERT_EQ(report.answers.size(), urls.size());
      for (std::size_t i = 0; i < urls.size(); ++i) {
        ASSERT_EQ(report.answers[i], good_answer(delays[i])) << "first difference at index " << i;
      }
      EXPECT_EQ(report.total_delay_ms, sum);
      EXPECT_EQ(route_stat("delay", "requests"), urls.size()) << "one request per URL";
      EXPECT_LE(route_stat("delay", "peak_in_flight"), cap) << "more transfers open at once than the cap allows";
    }
  };
}

TEST(AsyncDelaysHidden, SlowFirstAnswerStillComesFirst) {
  PARLAB_WITHIN(30s, kHang) {
    // A 400 ms wait first, then 20 quick ones: with a cap of 3 the other two slots keep turning
    // while the first waits, and its answer must still land at index 0.
    std::vector<std::uint64_t> delays = {400};
    for (int i = 0; i < 20; ++i) delays.push_back(5);
    parlab::fixture_reset_stats();
    const DelaysReport report = async_delays(delay_urls(delays), 3);
    ASSERT_EQ(report.answers.size(), delays.size());
    for (std::size_t i = 0; i < delays.size(); ++i) {
      ASSERT_EQ(report.answers[i], good_answer(delays[i])) << "first difference at index " << i;
    }
    EXPECT_EQ(report.total_delay_ms, 500u);
    EXPECT_EQ(route_stat("delay", "requests"), delays.size());
  };
}

TEST(AsyncDelaysHidden, DuplicatesAreRequestedAsOftenAsListed) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls(6, delay(25));
    parlab::fixture_reset_stats();
    const DelaysReport report = async_delays(urls, 4);
    ASSERT_EQ(report.answers.size(), 6u);
    for (const DelayAnswer& answer : report.answers) EXPECT_EQ(answer, good_answer(25));
    EXPECT_EQ(report.total_delay_ms, 150u);
    EXPECT_EQ(route_stat("delay", "requests"), 6u) << "a URL listed six times is requested six times";
  };
}

TEST(AsyncDelaysHidden, CapLargerThanTheList) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls = delay_urls({15, 5, 10});
    for (unsigned cap : {3u, 4u, 500u}) {
      SCOPED_TRACE(cap_trace(cap));
      const DelaysReport report = async_delays(urls, cap);
      ASSERT_EQ(report.answers.size(), 3u);
      EXPECT_EQ(report.answers[0], good_answer(15));
      EXPECT_EQ(report.total_delay_ms, 30u);
    }
    // One URL, every cap.
    for (unsigned cap : {1u, 2u, kAllAtOnce}) {
      SCOPED_TRACE(cap_trace(cap));
      const DelaysReport report = async_delays({delay(7)}, cap);
      ASSERT_EQ(report.answers.size(), 1u);
      EXPECT_EQ(report.answers[0], good_answer(7));
      EXPECT_EQ(report.total_delay_ms, 7u);
    }
  };
}

TEST(AsyncDelaysHidden, CallsFromSeveralThreads) {
  PARLAB_WITHIN(30s, kHang) {
    // Each thread runs an event loop of its own on a list of its own; nothing may be shared.
    constexpr std::size_t kThreads = 4;
    std::vector<std::vector<std::uint64_t>> delays(kThreads);
    std::vector<DelaysReport> reports(kThreads);
    for (std::size_t t = 0; t < kThreads; ++t) {
      for (std::uint64_t i = 0; i < 15; ++i) delays[t].push_back(5 + (t * 11 + i * 13) % 40);
    }
    {
      std::vector<std::jthread> threads;
      for (std::size_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] { reports[t] = async_delays(delay_urls(delays[t]), t == 0 ? kAllAtOnce : 3); });
      }
    }  // joined here
    for (std::size_t t = 0; t < kThreads; ++t) {
      SCOPED_TRACE("thread " + std::to_string(t));
      ASSERT_EQ(reports[t].answers.size(), delays[t].size());
      std::uint64_t sum = 0;
      for (std::size_t i = 0; i < delays[t].size(); ++i) {
        EXPECT_EQ(reports[t].answers[i], good_answer(delays[t][i])) << "answer " << i;
        sum += delays[t][i];
      }
      EXPECT_EQ(reports[t].total_delay_ms, sum);
    }
  };
}

TEST(AsyncDelaysHidden, RepeatedCallsGiveTheSameReport) {
  PARLAB_WITHIN(30s, kHang) {
    const std::vector<std::string> urls = {delay(12), route("/status/500"), delay(3), route("/fault/reset"), delay(8)};
    const DelaysReport first = async_delays(urls, 2);
    for (int round = 0; round < 3; ++round) {
      SCOPED_TRACE("call " + std::to_string(round + 2));
      expect_same_report(async_delays(urls, 2), first);
    }
    expect_same_report(first, parlab::async_delays_sequential(urls));
  };
}

}  // namespace
