// Test: exercise 2.4 async_titles, public tests. You may add your own.
//
// Every URL points at a local fixture server, which answers after a few milliseconds of injected
// latency and counts the requests it has in flight. A test that runs past its PARLAB_WITHIN
// deadline means the event loop never finished: a transfer never reaped, a slot never refilled,
// or a wait for news that cannot come.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
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

std::uint64_t peak_in_flight() { return parlab::fixture_stats()["total"].value("peak_in_flight", std::uint64_t{0}); }

TEST(AsyncTitles, TitlesAreThoseOfThePagesTheDrawsLandOn) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 12; ++draw) urls.push_back(known_draw_url(draw));
    const TitlesReport report = parlab::async_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    std::size_t chars = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      const PageTitle& page = report.pages[i];
      EXPECT_EQ(page.url, urls[i]) << "result " << i << " is not for URL " << i;
      EXPECT_EQ(page.status, 200) << "the redirect must be followed to the page";
      EXPECT_EQ(page.error, "");
      EXPECT_EQ(page.title, known_draw_title(i)) << urls[i];
      chars += known_draw_title(i).size();  // these titles are ASCII: one byte per character
    }
    EXPECT_EQ(report.total_chars, chars);
  };
}

TEST(AsyncTitles, MatchesSequentialForSeveralWindows) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 12; ++draw) urls.push_back(draw_url(draw, 5));
    const TitlesReport expected = parlab::async_titles_sequential(urls);
    for (unsigned window : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("max_in_flight = " + std::to_string(window));
      expect_same_report(parlab::async_titles(urls, window), expected);
    }
  };
}

TEST(AsyncTitles, NeverMoreRequestsInFlightThanTheWindow) {
  PARLAB_WITHIN(30s, kHang) {
    // Each URL is a 30 ms redirect, then its page: one request after the other on one handle, so
    // the server's peak of requests in flight counts the transfers open at once.
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 16; ++draw) urls.push_back(draw_url(draw, 30));
    for (unsigned window : {1u, 3u, 5u}) {
      parlab::fixture_reset_stats();
      const TitlesReport report = parlab::async_titles(urls, window);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_LE(peak_in_flight(), window) << "max_in_flight = " << window << ": more transfers open than allowed";
    }
  };
}

TEST(AsyncTitles, ResultsComeBackInInputOrder) {
  PARLAB_WITHIN(20s, kHang) {
    // The first URLs are the slowest, so with a window of 4 the last ones finish first.
    std::vector<std::string> urls;
    for (int i = 0; i < 8; ++i) urls.push_back(draw_url(100 + i, 80 - 10 * i));
    const TitlesReport report = parlab::async_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.pages[i].url, urls[i]) << "result " << i << " is not for URL " << i;
      EXPECT_TRUE(report.pages[i].title.has_value()) << urls[i];
    }
    expect_same_report(report, parlab::async_titles_sequential(urls));
  };
}

TEST(AsyncTitles, TitlesFollowTheParserRules) {
  PARLAB_WITHIN(20s, kHang) {
    // Pages made to test a title parser: entities, no <title>, whitespace, two <title>s, and a
    // <title> inside a comment. fixture_content.hpp says what a parser must report for each.
    std::vector<std::string> urls;
    for (const char* name : parlab::fixture::kTitledNames) urls.push_back(route(std::string("/titled/") + name));
    const TitlesReport report = parlab::async_titles(urls, 3);
    ASSERT_EQ(report.pages.size(), urls.size());
    std::size_t i = 0;
    for (const char* name : parlab::fixture::kTitledNames) {
      const PageTitle& page = report.pages[i++];
      EXPECT_EQ(page.status, 200) << name;
      EXPECT_EQ(page.error, "") << name;
      EXPECT_EQ(page.title, parlab::fixture::titled_page(name)->title) << name;
    }
  };
}

TEST(AsyncTitles, TotalCountsCharactersNotBytes) {
  PARLAB_WITHIN(10s, kHang) {
    // "Fish & Chips – "Café" © ☃ <3": 28 code points, 34 bytes in UTF-8.
    const TitlesReport report = parlab::async_titles({route("/titled/entities"), route("/titled/none")}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    ASSERT_TRUE(report.pages[0].title.has_value());
    EXPECT_EQ(report.pages[0].title->size(), 34u);
    EXPECT_FALSE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 28u) << "a page without a title adds nothing; é, –, © and ☃ count one each";
  };
}

TEST(AsyncTitles, RedirectChainsAreFollowed) {
  PARLAB_WITHIN(10s, kHang) {
    // /redirect/3 takes four redirects to reach /page/0: within the limit of five.
    const std::string chain = known_seed_server().url() + "/redirect/3";
    const TitlesReport report = parlab::async_titles({chain, known_draw_url(1)}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].status, 200);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[0].title, known_page_title(0));
    EXPECT_EQ(report.pages[1].title, known_draw_title(1));
  };
}

TEST(AsyncTitles, RedirectLoopIsAnErrorOfThatPageOnly) {
  PARLAB_WITHIN(20s, "async_titles never returned on a redirect loop") {
    const std::vector<std::string> urls = {draw_url(1), route("/redirect/loop"), draw_url(2), draw_url(3)};
    const TitlesReport report = parlab::async_titles(urls, 2);
    ASSERT_EQ(report.pages.size(), 4u);
    EXPECT_EQ(report.pages[1].error, too_many_redirects());
    EXPECT_FALSE(report.pages[1].title.has_value());
    for (std::size_t i : {0u, 2u, 3u}) {
      EXPECT_EQ(report.pages[i].error, "") << "a loop must not spoil the other pages";
      EXPECT_TRUE(report.pages[i].title.has_value()) << "index " << i;
    }
    expect_same_report(report, parlab::async_titles_sequential(urls));
  };
}

TEST(AsyncTitles, DuplicatesAreFetchedAsOftenAsListed) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls(6, draw_url(42, 5));
    const TitlesReport report = parlab::async_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), 6u);
    for (const PageTitle& page : report.pages) EXPECT_EQ(page, report.pages[0]);
    ASSERT_TRUE(report.pages[0].title.has_value());
    EXPECT_EQ(report.total_chars, 6 * report.pages[0].title->size());
  };
}

TEST(AsyncTitles, WindowLargerThanTheList) {
  PARLAB_WITHIN(
      20s, "a window larger than the list and async_titles never returned: it waited for a transfer never started") {
    const std::vector<std::string> urls = {draw_url(5), draw_url(6), draw_url(7)};
    expect_same_report(parlab::async_titles(urls, 16), parlab::async_titles_sequential(urls));
  };
}

TEST(AsyncTitles, EmptyListGivesAnEmptyReport) {
  PARLAB_WITHIN(10s, "async_titles never returned on an empty list") {
    for (unsigned window : {1u, 8u}) {
      const TitlesReport report = parlab::async_titles({}, window);
      EXPECT_TRUE(report.pages.empty());
      EXPECT_EQ(report.total_chars, 0u);
    }
  };
}

TEST(AsyncTitles, ZeroWindowIsRejected) { EXPECT_THROW(parlab::async_titles({draw_url(1)}, 0), std::invalid_argument); }

}  // namespace
