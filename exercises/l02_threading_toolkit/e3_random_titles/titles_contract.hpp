// Test support, given: the public contract that 2.3's random_titles and 2.4's async_titles both
// keep, written once as a value-parameterized suite. Each exercise's public test file runs it
// with its own function (INSTANTIATE_TEST_SUITE_P); include it from one test file per binary.
//
// Every URL points at a local fixture server, which answers after a few milliseconds of injected
// latency. A test that runs past its PARLAB_WITHIN deadline prints what a hang means for the
// function under test (TitlesUnderTest::hang).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "fixture_content.hpp"
#include "random_titles.hpp"
#include "random_titles_testing.hpp"

namespace parlab::titles_testing {

class TitlesContract : public ::testing::TestWithParam<TitlesUnderTest> {
 protected:
  const TitlesUnderTest& api() const { return GetParam(); }
  TitlesReport titles(const std::vector<std::string>& urls, unsigned limit) const { return api().titles(urls, limit); }
  TitlesReport baseline(const std::vector<std::string>& urls) const { return api().baseline(urls); }
  std::string hang() const { return api().hang; }
  std::string never_returned(const std::string& situation) const { return api().name + " never returned " + situation; }
};

TEST_P(TitlesContract, TitlesAreThoseOfThePagesTheDrawsLandOn) {
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 12; ++draw) urls.push_back(known_draw_url(draw));
    const TitlesReport report = titles(urls, 4);
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

TEST_P(TitlesContract, MatchesSequentialForSeveralConcurrencyLimits) {
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 12; ++draw) urls.push_back(draw_url(draw, 5));
    expect_like_baseline(api(), urls, {1, 2, 3, 8});
  };
}

TEST_P(TitlesContract, ResultsComeBackInInputOrder) {
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    // The first URLs are the slowest, so with a limit of 4 the last ones finish first.
    std::vector<std::string> urls;
    for (int i = 0; i < 8; ++i) urls.push_back(draw_url(100 + i, 80 - 10 * i));
    const TitlesReport report = titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.pages[i].url, urls[i]) << "result " << i << " is not for URL " << i;
      EXPECT_TRUE(report.pages[i].title.has_value()) << urls[i];
    }
    expect_same_report(report, baseline(urls));
  };
}

TEST_P(TitlesContract, TitlesFollowTheParserRules) {
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    // Pages made to test a title parser: entities, no <title>, whitespace, two <title>s, and a
    // <title> inside a comment. fixture_content.hpp says what a parser must report for each.
    std::vector<std::string> urls;
    for (const char* name : fixture::kTitledNames) urls.push_back(titled(name));
    const TitlesReport report = titles(urls, 3);
    ASSERT_EQ(report.pages.size(), urls.size());
    std::size_t i = 0;
    for (const char* name : fixture::kTitledNames) {
      const PageTitle& page = report.pages[i++];
      EXPECT_EQ(page.status, 200) << name;
      EXPECT_EQ(page.error, "") << name;
      EXPECT_EQ(page.title, fixture::titled_page(name)->title) << name;
    }
  };
}

TEST_P(TitlesContract, TotalCountsCharactersNotBytes) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    // "Fish & Chips – "Café" © ☃ <3": 28 code points, 34 bytes in UTF-8.
    const TitlesReport report = titles({titled("entities"), titled("none")}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    ASSERT_TRUE(report.pages[0].title.has_value());
    EXPECT_EQ(report.pages[0].title->size(), 34u);
    EXPECT_FALSE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 28u) << "a page without a title adds nothing; é, –, © and ☃ count one each";
  };
}

TEST_P(TitlesContract, RedirectChainsAreFollowed) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    // /redirect/3 takes four redirects to reach /page/0: within the limit of five.
    const std::string chain = known_seed_server().url() + "/redirect/3";
    const TitlesReport report = titles({chain, known_draw_url(1)}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].status, 200);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[0].title, known_page_title(0));
    EXPECT_EQ(report.pages[1].title, known_draw_title(1));
  };
}

TEST_P(TitlesContract, RedirectLoopIsAnErrorOfThatPageOnly) {
  PARLAB_WITHIN(std::chrono::seconds(20), never_returned("on a redirect loop")) {
    const std::vector<std::string> urls = {draw_url(1), route("/redirect/loop"), draw_url(2), draw_url(3)};
    const TitlesReport report = titles(urls, 2);
    ASSERT_EQ(report.pages.size(), 4u);
    EXPECT_EQ(report.pages[1].error, too_many_redirects());
    EXPECT_FALSE(report.pages[1].title.has_value());
    for (std::size_t i : {0u, 2u, 3u}) {
      EXPECT_EQ(report.pages[i].error, "") << "a loop must not spoil the other pages";
      EXPECT_TRUE(report.pages[i].title.has_value()) << "index " << i;
    }
    expect_same_report(report, baseline(urls));
  };
}

TEST_P(TitlesContract, DuplicatesAreFetchedAsOftenAsListed) {
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    const std::vector<std::string> urls(6, draw_url(42, 5));
    const TitlesReport report = titles(urls, 4);
    ASSERT_EQ(report.pages.size(), 6u);
    for (const PageTitle& page : report.pages) EXPECT_EQ(page, report.pages[0]);
    ASSERT_TRUE(report.pages[0].title.has_value());
    EXPECT_EQ(report.total_chars, 6 * report.pages[0].title->size());
  };
}

TEST_P(TitlesContract, ConcurrencyLimitLargerThanTheList) {
  // 16 workers for 3 URLs, or a window of 16 for 3 transfers.
  PARLAB_WITHIN(std::chrono::seconds(20), api().hang_beyond_list) {
    const std::vector<std::string> urls = {draw_url(5), draw_url(6), draw_url(7)};
    expect_same_report(titles(urls, 16), baseline(urls));
  };
}

TEST_P(TitlesContract, EmptyListGivesAnEmptyReport) {
  PARLAB_WITHIN(std::chrono::seconds(10), never_returned("on an empty list")) {
    for (unsigned limit : {1u, 8u}) {
      SCOPED_TRACE(limit_trace(api(), limit));
      const TitlesReport report = titles({}, limit);
      EXPECT_TRUE(report.pages.empty());
      EXPECT_EQ(report.total_chars, 0u);
    }
  };
}

}  // namespace parlab::titles_testing
