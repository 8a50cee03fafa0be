// Test: exercise 2.4 async_titles, hidden tests run by the grader.
//
// The cases 2.4 shares with 2.3 live in 2.3's hidden titles_contract_hidden.hpp, and run here on
// async_titles as AsyncTitlesHidden/TitlesHiddenContract.<case>/async_titles: an empty list, one
// URL, a window larger than the list (up to 500), entities, no title, whitespace, two titles and
// comments, sixty known draws, redirect loops, five redirects and six, 200 URLs, one request per
// listing, duplicates with non-ASCII totals, calls from several threads, repeated calls.
// Below them, the cases of 2.4 alone: the server's peak of requests in flight against the window,
// failures and slow bodies that must not stall the window, and no thread started. A test that
// runs past its PARLAB_WITHIN deadline means the event loop never finished: a transfer never
// reaped, a free slot never refilled, or a wait for news that cannot come.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../e3_random_titles/titles_contract_hidden.hpp"
#include "async_titles.hpp"
#include "deadline.hpp"
#include "fixture_env.hpp"
#include "random_titles_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::TitlesReport;
using namespace parlab::titles_testing;

const TitlesUnderTest kAsyncTitles =
    on_one_event_loop("async_titles", parlab::async_titles, parlab::async_titles_sequential);

INSTANTIATE_TEST_SUITE_P(AsyncTitlesHidden, TitlesHiddenContract,
                         ::testing::Values(HiddenTitlesCase{.api = kAsyncTitles, .limit_for_two_hundred = 50}),
                         hidden_test_name_of);

// Threads of this process right now.
std::size_t thread_count() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

TEST(AsyncTitlesHidden, ZeroWindowIsRejected) {
  EXPECT_THROW(parlab::async_titles({}, 0), std::invalid_argument);
  EXPECT_THROW(parlab::async_titles({draw_url(1), draw_url(2)}, 0), std::invalid_argument);
}

TEST(AsyncTitlesHidden, PeakInFlightNeverExceedsTheWindow) {
  PARLAB_WITHIN(30s, kAsyncTitles.hang) {
    // Each listing is a 20 ms redirect, then its page, one request after the other on one handle.
    std::vector<std::string> urls;
    for (int i = 0; i < 40; ++i) urls.push_back(draw_url(i, 20));
    for (unsigned window : {1u, 2u, 7u, 16u}) {
      parlab::fixture_reset_stats();
      const TitlesReport report = parlab::async_titles(urls, window);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_LE(route_stat("total", "peak_in_flight"), window)
          << "max_in_flight = " << window << ": more transfers open at once than the window allows";
    }
  };
}

TEST(AsyncTitlesHidden, StartsNoThread) {
  PARLAB_WITHIN(20s, kAsyncTitles.hang) {
    // Watches this process's threads while async_titles runs 24 slow transfers in a window of 8.
    // The watcher is one thread of its own; any other new thread was started by the call.
    std::vector<std::string> urls;
    for (int i = 0; i < 24; ++i) urls.push_back(draw_url(i, 30));
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
    const TitlesReport report = parlab::async_titles(urls, 8);
    done.store(true);
    watcher.join();
    EXPECT_EQ(report.pages.size(), urls.size());
    EXPECT_LE(most.load(), before + 1) << "async_titles started threads: it must run on the calling thread alone";
  };
}

TEST(AsyncTitlesHidden, FailedTransfersDoNotStallTheWindow) {
  PARLAB_WITHIN(20s, kAsyncTitles.hang) {
    // With a window of 2, every failure must free its slot for the next URL.
    const std::vector<std::string> urls = {route("/fault/reset"),
                                           draw_url(1),
                                           route("/fault/truncate?size=3000"),
                                           route("/status/500"),
                                           route("/fault/reset"),
                                           draw_url(2, 10),
                                           route("/redirect/loop"),
                                           route("/fault/trickle?size=800&chunk=100&interval=10"),
                                           route("/redirect/loop"),
                                           draw_url(3)};
    const TitlesReport report = parlab::async_titles(urls, 2);
    ASSERT_EQ(report.pages.size(), urls.size());
    EXPECT_EQ(report.pages[0].status, 0) << "a reset before any response has no status";
    EXPECT_EQ(report.pages[0].error, curl_easy_strerror(CURLE_RECV_ERROR));
    EXPECT_EQ(report.pages[2].error, curl_easy_strerror(CURLE_PARTIAL_FILE));
    EXPECT_EQ(report.pages[7].error, "") << "a slow body is still a complete transfer";
    EXPECT_EQ(report.pages[9].error, "");
    expect_like_baseline(kAsyncTitles, urls, {1, 2, 4, 10});
  };
}

TEST(AsyncTitlesHidden, SlowTransferAmongQuickOnes) {
  PARLAB_WITHIN(20s, kAsyncTitles.hang) {
    // A 300 ms trickle first, then 20 quick pages: with a window of 4 the other three slots keep
    // turning while the trickle drips, and its result must still land at index 0.
    std::vector<std::string> urls = {route("/fault/trickle?size=1500&chunk=100&interval=20")};
    for (int i = 0; i < 20; ++i) urls.push_back(draw_url(i, 2));
    parlab::fixture_reset_stats();
    const TitlesReport report = parlab::async_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(route_stat("page", "requests"), 20u);
    expect_same_report(report, parlab::async_titles_sequential(urls));
  };
}

}  // namespace
