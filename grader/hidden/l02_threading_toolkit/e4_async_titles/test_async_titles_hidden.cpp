// Test: exercise 2.4 async_titles, hidden tests run by the grader.
//
// Each case compares async_titles() with the baseline async_titles_sequential() on the same URLs,
// field by field, or with titles known from fixture_content.hpp, and adds what the baseline
// cannot check: the server's peak of requests in flight against the window, one request per
// listing, no thread started, calls from several threads. A test that runs past its
// PARLAB_WITHIN deadline means the event loop never finished: a transfer never reaped, a free
// slot never refilled, or a wait for news that cannot come.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "async_titles.hpp"
#include "deadline.hpp"
#include "fixture_content.hpp"
#include "fixture_env.hpp"
#include "random_titles_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::PageTitle;
using parlab::TitlesReport;
using namespace parlab::titles_testing;

constexpr const char* kHang =
    "async_titles never returned: a transfer never reaped, a free slot never refilled, or a wait that never ends";

// async_titles(urls, w) equals the baseline for every window w listed.
void expect_like_baseline(const std::vector<std::string>& urls, std::initializer_list<unsigned> windows) {
  const TitlesReport expected = parlab::async_titles_sequential(urls);
  for (unsigned window : windows) {
    SCOPED_TRACE("max_in_flight = " + std::to_string(window));
    expect_same_report(parlab::async_titles(urls, window), expected);
  }
}

std::uint64_t stat_of(const char* route_name, const char* field) {
  const auto stats = parlab::fixture_stats();
  return stats.contains(route_name) ? stats[route_name].value(field, std::uint64_t{0}) : 0;
}

std::string titled(const std::string& name) { return route("/titled/" + name); }

// Threads of this process right now.
std::size_t thread_count() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

TEST(AsyncTitlesHidden, EmptyList) {
  PARLAB_WITHIN(10s, kHang) {
    for (unsigned window : {1u, 2u, 64u}) {
      const TitlesReport report = parlab::async_titles({}, window);
      EXPECT_TRUE(report.pages.empty()) << "max_in_flight = " << window;
      EXPECT_EQ(report.total_chars, 0u) << "max_in_flight = " << window;
    }
  };
}

TEST(AsyncTitlesHidden, ZeroWindowIsRejected) {
  EXPECT_THROW(parlab::async_titles({}, 0), std::invalid_argument);
  EXPECT_THROW(parlab::async_titles({draw_url(1), draw_url(2)}, 0), std::invalid_argument);
}

TEST(AsyncTitlesHidden, OneUrl) {
  PARLAB_WITHIN(10s, kHang) { expect_like_baseline({draw_url(3)}, {1, 2, 8}); };
}

TEST(AsyncTitlesHidden, WindowLargerThanTheList) {
  PARLAB_WITHIN(15s, kHang) {
    expect_like_baseline({draw_url(1), draw_url(2), draw_url(3), draw_url(4), draw_url(5)}, {6, 32, 500});
  };
}

TEST(AsyncTitlesHidden, PeakInFlightNeverExceedsTheWindow) {
  PARLAB_WITHIN(30s, kHang) {
    // Each listing is a 20 ms redirect, then its page, one request after the other on one handle.
    std::vector<std::string> urls;
    for (int i = 0; i < 40; ++i) urls.push_back(draw_url(i, 20));
    for (unsigned window : {1u, 2u, 7u, 16u}) {
      parlab::fixture_reset_stats();
      const TitlesReport report = parlab::async_titles(urls, window);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_LE(stat_of("total", "peak_in_flight"), window)
          << "max_in_flight = " << window << ": more transfers open at once than the window allows";
    }
  };
}

TEST(AsyncTitlesHidden, StartsNoThread) {
  PARLAB_WITHIN(20s, kHang) {
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

TEST(AsyncTitlesHidden, EntitiesAreDecoded) {
  PARLAB_WITHIN(10s, kHang) {
    const TitlesReport report = parlab::async_titles({titled("entities"), draw_url(1)}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].title, "Fish & Chips \u2013 \"Caf\u00e9\" \u00a9 \u2603 <3");
    ASSERT_TRUE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 28 + report.pages[1].title->size());
  };
}

TEST(AsyncTitlesHidden, PageWithoutTitle) {
  PARLAB_WITHIN(10s, kHang) {
    const std::vector<std::string> urls = {titled("none"), route("/status/404"), draw_url(2)};
    const TitlesReport report = parlab::async_titles(urls, 3);
    ASSERT_EQ(report.pages.size(), 3u);
    EXPECT_EQ(report.pages[0].status, 200);
    EXPECT_EQ(report.pages[0].title, std::nullopt);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[1].status, 404);
    EXPECT_EQ(report.pages[1].title, std::nullopt);
    EXPECT_EQ(report.pages[1].error, "") << "an HTTP error status is a complete transfer";
    ASSERT_TRUE(report.pages[2].title.has_value());
    EXPECT_EQ(report.total_chars, report.pages[2].title->size()) << "pages without a title add nothing";
  };
}

TEST(AsyncTitlesHidden, WhitespaceSecondTitlesAndComments) {
  PARLAB_WITHIN(10s, kHang) {
    const TitlesReport report = parlab::async_titles({titled("spaces"), titled("two"), titled("comment")}, 3);
    ASSERT_EQ(report.pages.size(), 3u);
    EXPECT_EQ(report.pages[0].title, "Spaced   Out") << "outer whitespace trimmed, inner kept";
    EXPECT_EQ(report.pages[1].title, "First") << "the first <title> counts";
    EXPECT_EQ(report.pages[2].title, "This one") << "a <title> inside a comment is not an element";
    EXPECT_EQ(report.total_chars, 12u + 5u + 8u);
  };
}

TEST(AsyncTitlesHidden, KnownTitlesOfSixtyDraws) {
  PARLAB_WITHIN(15s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 60; ++draw) urls.push_back(known_draw_url(1000 + draw));
    const TitlesReport report = parlab::async_titles(urls, 8);
    ASSERT_EQ(report.pages.size(), urls.size());
    std::size_t chars = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.pages[i].title, known_draw_title(1000 + i)) << "index " << i;
      chars += known_draw_title(1000 + i).size();
    }
    EXPECT_EQ(report.total_chars, chars);
  };
}

TEST(AsyncTitlesHidden, RedirectLoopsAreErrorsOfTheirPagesOnly) {
  PARLAB_WITHIN(20s, "async_titles never returned with redirect loops in the list") {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back(i % 4 == 1 ? route("/redirect/loop") : draw_url(i, 2));
    const TitlesReport report = parlab::async_titles(urls, 3);
    ASSERT_EQ(report.pages.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      if (i % 4 == 1) {
        EXPECT_EQ(report.pages[i].error, too_many_redirects()) << "index " << i;
        EXPECT_EQ(report.pages[i].status, 302) << "index " << i << ": the last response was a redirect";
        EXPECT_EQ(report.pages[i].title, std::nullopt) << "index " << i;
      } else {
        EXPECT_EQ(report.pages[i].error, "") << "index " << i;
        EXPECT_TRUE(report.pages[i].title.has_value()) << "index " << i;
      }
    }
    expect_like_baseline(urls, {1, 5, 12});
  };
}

TEST(AsyncTitlesHidden, FiveRedirectsAreFollowedSixAreNot) {
  PARLAB_WITHIN(10s, kHang) {
    // /redirect/<n> takes n + 1 redirects to reach /page/0.
    const std::string base = known_seed_server().url();
    const TitlesReport report = parlab::async_titles({base + "/redirect/4", base + "/redirect/5"}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[0].title, known_page_title(0));
    EXPECT_EQ(report.pages[1].error, too_many_redirects());
    EXPECT_EQ(report.pages[1].title, std::nullopt);
    EXPECT_EQ(report.total_chars, known_page_title(0).size());
  };
}

TEST(AsyncTitlesHidden, FailedTransfersDoNotStallTheWindow) {
  PARLAB_WITHIN(20s, kHang) {
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
    expect_like_baseline(urls, {1, 2, 4, 10});
  };
}

TEST(AsyncTitlesHidden, SlowTransferAmongQuickOnes) {
  PARLAB_WITHIN(20s, kHang) {
    // A 300 ms trickle first, then 20 quick pages: with a window of 4 the other three slots keep
    // turning while the trickle drips, and its result must still land at index 0.
    std::vector<std::string> urls = {route("/fault/trickle?size=1500&chunk=100&interval=20")};
    for (int i = 0; i < 20; ++i) urls.push_back(draw_url(i, 2));
    parlab::fixture_reset_stats();
    const TitlesReport report = parlab::async_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(stat_of("page", "requests"), 20u);
    expect_same_report(report, parlab::async_titles_sequential(urls));
  };
}

TEST(AsyncTitlesHidden, TwoHundredUrls) {
  // Sequentially 200 x 10 ms is about 2 s; 50 at a time well under a second. The deadline is
  // generous: this is a test that nothing stalls, not a timing.
  PARLAB_WITHIN(25s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 200; ++i) urls.push_back(draw_url(i % 150, 10));
    expect_like_baseline(urls, {50});
  };
}

TEST(AsyncTitlesHidden, EveryListingIsFetchedExactlyOnce) {
  PARLAB_WITHIN(15s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 30; ++i) urls.push_back(draw_url(i % 9, 3));  // draws repeat: each listing counts
    urls.push_back(titled("two"));
    for (unsigned window : {1u, 4u, 50u}) {
      parlab::fixture_reset_stats();
      const TitlesReport report = parlab::async_titles(urls, window);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_EQ(stat_of("random", "requests"), 30u) << "max_in_flight = " << window << ": one redirect per listing";
      EXPECT_EQ(stat_of("page", "requests"), 30u) << "max_in_flight = " << window << ": one page per listing";
      EXPECT_EQ(stat_of("titled", "requests"), 1u) << "max_in_flight = " << window;
    }
  };
}

TEST(AsyncTitlesHidden, DuplicatesAndUnicodeTotals) {
  PARLAB_WITHIN(15s, kHang) {
    const std::vector<std::string> urls = {titled("entities"), draw_url(7),        titled("entities"),
                                           draw_url(7),        titled("entities"), titled("none")};
    const TitlesReport report = parlab::async_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    ASSERT_TRUE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 3 * 28 + 2 * report.pages[1].title->size());
    expect_like_baseline(urls, {2, 6});
  };
}

TEST(AsyncTitlesHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: each call runs an event loop of its own.
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back(draw_url(i, 5));
    urls.push_back(titled("entities"));
    const TitlesReport expected = parlab::async_titles_sequential(urls);
    std::vector<TitlesReport> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::async_titles(urls, 4); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      expect_same_report(got[c], expected);
    }
  };
}

TEST(AsyncTitlesHidden, RepeatedCallsGiveTheSameReport) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 9; ++i) urls.push_back(draw_url(i, 1));
    const TitlesReport expected = parlab::async_titles_sequential(urls);
    for (int round = 0; round < 10; ++round) {
      SCOPED_TRACE("round " + std::to_string(round));
      expect_same_report(parlab::async_titles(urls, 3), expected);
    }
  };
}

}  // namespace
