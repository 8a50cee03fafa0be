// Test: exercise 2.3 random_titles, public tests. You may add your own.
//
// Every URL points at a local fixture server, which answers after a few milliseconds of injected
// latency. A test that runs past its PARLAB_WITHIN deadline means a worker never finished: a
// thread left waiting or a join that never returns.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "fixture_content.hpp"
#include "random_titles.hpp"
#include "random_titles_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::PageTitle;
using parlab::TitlesReport;
using namespace parlab::titles_testing;

constexpr const char* kHang = "random_titles never returned: a worker that never finished or a join that waits forever";

TEST(RandomTitles, TitlesAreThoseOfThePagesTheDrawsLandOn) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 12; ++draw) urls.push_back(known_draw_url(draw));
    const TitlesReport report = parlab::random_titles(urls, 4);
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

TEST(RandomTitles, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 12; ++draw) urls.push_back(draw_url(draw, 5));
    const TitlesReport expected = parlab::random_titles_sequential(urls);
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      expect_same_report(parlab::random_titles(urls, workers), expected);
    }
  };
}

TEST(RandomTitles, ResultsComeBackInInputOrder) {
  PARLAB_WITHIN(20s, kHang) {
    // The first URLs are the slowest, so with several workers the last ones finish first.
    std::vector<std::string> urls;
    for (int i = 0; i < 8; ++i) urls.push_back(draw_url(100 + i, 80 - 10 * i));
    const TitlesReport report = parlab::random_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.pages[i].url, urls[i]) << "result " << i << " is not for URL " << i;
      EXPECT_TRUE(report.pages[i].title.has_value()) << urls[i];
    }
    expect_same_report(report, parlab::random_titles_sequential(urls));
  };
}

TEST(RandomTitles, TitlesFollowTheParserRules) {
  PARLAB_WITHIN(20s, kHang) {
    // Pages made to test a title parser: entities, no <title>, whitespace, two <title>s, and a
    // <title> inside a comment. fixture_content.hpp says what a parser must report for each.
    std::vector<std::string> urls;
    for (const char* name : parlab::fixture::kTitledNames) urls.push_back(route(std::string("/titled/") + name));
    const TitlesReport report = parlab::random_titles(urls, 3);
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

TEST(RandomTitles, TotalCountsCharactersNotBytes) {
  PARLAB_WITHIN(10s, kHang) {
    // "Fish & Chips – "Café" © ☃ <3": 28 code points, 34 bytes in UTF-8.
    const TitlesReport report = parlab::random_titles({route("/titled/entities"), route("/titled/none")}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    ASSERT_TRUE(report.pages[0].title.has_value());
    EXPECT_EQ(report.pages[0].title->size(), 34u);
    EXPECT_FALSE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 28u) << "a page without a title adds nothing; é, –, © and ☃ count one each";
  };
}

TEST(RandomTitles, RedirectChainsAreFollowed) {
  PARLAB_WITHIN(10s, kHang) {
    // /redirect/3 takes four redirects to reach /page/0: within the limit of five.
    const std::string chain = known_seed_server().url() + "/redirect/3";
    const TitlesReport report = parlab::random_titles({chain, known_draw_url(1)}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].status, 200);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[0].title, known_page_title(0));
    EXPECT_EQ(report.pages[1].title, known_draw_title(1));
  };
}

TEST(RandomTitles, RedirectLoopIsAnErrorOfThatPageOnly) {
  PARLAB_WITHIN(20s, "random_titles never returned on a redirect loop") {
    const std::vector<std::string> urls = {draw_url(1), route("/redirect/loop"), draw_url(2), draw_url(3)};
    const TitlesReport report = parlab::random_titles(urls, 2);
    ASSERT_EQ(report.pages.size(), 4u);
    EXPECT_EQ(report.pages[1].error, too_many_redirects());
    EXPECT_FALSE(report.pages[1].title.has_value());
    for (std::size_t i : {0u, 2u, 3u}) {
      EXPECT_EQ(report.pages[i].error, "") << "a loop must not spoil the other pages";
      EXPECT_TRUE(report.pages[i].title.has_value()) << "index " << i;
    }
    expect_same_report(report, parlab::random_titles_sequential(urls));
  };
}

TEST(RandomTitles, DuplicatesAreFetchedAsOftenAsListed) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls(6, draw_url(42, 5));
    const TitlesReport report = parlab::random_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), 6u);
    for (const PageTitle& page : report.pages) EXPECT_EQ(page, report.pages[0]);
    ASSERT_TRUE(report.pages[0].title.has_value());
    EXPECT_EQ(report.total_chars, 6 * report.pages[0].title->size());
  };
}

TEST(RandomTitles, MoreWorkersThanUrls) {
  PARLAB_WITHIN(20s, "more workers than URLs and random_titles never returned: an idle worker never stopped") {
    const std::vector<std::string> urls = {draw_url(5), draw_url(6), draw_url(7)};
    expect_same_report(parlab::random_titles(urls, 16), parlab::random_titles_sequential(urls));
  };
}

TEST(RandomTitles, EmptyListGivesAnEmptyReport) {
  PARLAB_WITHIN(10s, "random_titles never returned on an empty list") {
    for (unsigned workers : {1u, 8u}) {
      const TitlesReport report = parlab::random_titles({}, workers);
      EXPECT_TRUE(report.pages.empty());
      EXPECT_EQ(report.total_chars, 0u);
    }
  };
}

TEST(RandomTitles, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::random_titles({draw_url(1)}, 0), std::invalid_argument);
}

}  // namespace
