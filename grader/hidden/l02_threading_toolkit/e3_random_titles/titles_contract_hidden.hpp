// Test support, hidden: the hidden cases that 2.3's random_titles and 2.4's async_titles share,
// written once as a value-parameterized suite. Each exercise's hidden test file runs it with its
// own function; 2.4's includes this file as "../e3_random_titles/titles_contract_hidden.hpp", so
// hidden material stays out of the exercises/ tree.
//
// Each case compares the function with its baseline on the same URLs, field by field, or with
// titles known from fixture_content.hpp, and adds what the baseline cannot check (one request per
// listing, calls from several threads). A test that runs past its PARLAB_WITHIN deadline prints
// what a hang means for the function under test.
#pragma once

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "fixture_env.hpp"
#include "random_titles.hpp"
#include "random_titles_testing.hpp"

namespace parlab::titles_testing {

// The function under test, and the limit it runs 200 URLs with: many threads cost more than
// many open transfers, so 2.3 runs 16 workers where 2.4 opens a window of 50.
struct HiddenTitlesCase {
  TitlesUnderTest api;
  unsigned limit_for_two_hundred;
};

inline void PrintTo(const HiddenTitlesCase& c, std::ostream* os) { *os << c.api.name; }

inline std::string hidden_test_name_of(const ::testing::TestParamInfo<HiddenTitlesCase>& info) {
  return info.param.api.name;
}

class TitlesHiddenContract : public ::testing::TestWithParam<HiddenTitlesCase> {
 protected:
  const TitlesUnderTest& api() const { return GetParam().api; }
  TitlesReport titles(const std::vector<std::string>& urls, unsigned limit) const { return api().titles(urls, limit); }
  void expect_like_baseline(const std::vector<std::string>& urls, std::initializer_list<unsigned> limits) const {
    titles_testing::expect_like_baseline(api(), urls, limits);
  }
  std::string hang() const { return api().hang; }
};

TEST_P(TitlesHiddenContract, EmptyList) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    for (unsigned limit : {1u, 2u, 64u}) {
      const TitlesReport report = titles({}, limit);
      EXPECT_TRUE(report.pages.empty()) << limit_trace(api(), limit);
      EXPECT_EQ(report.total_chars, 0u) << limit_trace(api(), limit);
    }
  };
}

TEST_P(TitlesHiddenContract, OneUrl) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) { expect_like_baseline({draw_url(3)}, {1, 2, 8}); };
}

TEST_P(TitlesHiddenContract, ConcurrencyLimitLargerThanTheList) {
  PARLAB_WITHIN(std::chrono::seconds(15), api().hang_beyond_list) {
    expect_like_baseline({draw_url(1), draw_url(2), draw_url(3), draw_url(4), draw_url(5)}, {6, 32, 500});
  };
}

TEST_P(TitlesHiddenContract, EntitiesAreDecoded) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    const TitlesReport report = titles({titled("entities"), draw_url(1)}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].title, "Fish & Chips \u2013 \"Caf\u00e9\" \u00a9 \u2603 <3");
    ASSERT_TRUE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 28 + report.pages[1].title->size());
  };
}

TEST_P(TitlesHiddenContract, PageWithoutTitle) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    // A page without <title>, and a 404 whose plain-text body has none either: complete
    // transfers, so no error, and no title.
    const std::vector<std::string> urls = {titled("none"), route("/status/404"), draw_url(2)};
    const TitlesReport report = titles(urls, 3);
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

TEST_P(TitlesHiddenContract, WhitespaceSecondTitlesAndComments) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    const TitlesReport report = titles({titled("spaces"), titled("two"), titled("comment")}, 3);
    ASSERT_EQ(report.pages.size(), 3u);
    EXPECT_EQ(report.pages[0].title, "Spaced   Out") << "outer whitespace trimmed, inner kept";
    EXPECT_EQ(report.pages[1].title, "First") << "the first <title> counts";
    EXPECT_EQ(report.pages[2].title, "This one") << "a <title> inside a comment is not an element";
    EXPECT_EQ(report.total_chars, 12u + 5u + 8u);
  };
}

TEST_P(TitlesHiddenContract, KnownTitlesOfSixtyDraws) {
  PARLAB_WITHIN(std::chrono::seconds(15), hang()) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 60; ++draw) urls.push_back(known_draw_url(1000 + draw));
    const TitlesReport report = titles(urls, 8);
    ASSERT_EQ(report.pages.size(), urls.size());
    std::size_t chars = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.pages[i].title, known_draw_title(1000 + i)) << "index " << i;
      chars += known_draw_title(1000 + i).size();
    }
    EXPECT_EQ(report.total_chars, chars);
  };
}

TEST_P(TitlesHiddenContract, RedirectLoopsAreErrorsOfTheirPagesOnly) {
  PARLAB_WITHIN(std::chrono::seconds(20), api().name + " never returned with redirect loops in the list") {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back(i % 4 == 1 ? route("/redirect/loop") : draw_url(i, 2));
    const TitlesReport report = titles(urls, 3);
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

TEST_P(TitlesHiddenContract, FiveRedirectsAreFollowedSixAreNot) {
  PARLAB_WITHIN(std::chrono::seconds(10), hang()) {
    // /redirect/<n> takes n + 1 redirects to reach /page/0.
    const std::string base = known_seed_server().url();
    const TitlesReport report = titles({base + "/redirect/4", base + "/redirect/5"}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[0].title, known_page_title(0));
    EXPECT_EQ(report.pages[1].error, too_many_redirects());
    EXPECT_EQ(report.pages[1].title, std::nullopt);
    EXPECT_EQ(report.total_chars, known_page_title(0).size());
  };
}

TEST_P(TitlesHiddenContract, TwoHundredUrls) {
  // Sequentially 200 x 10 ms is about 2 s; with 16 workers, or 50 transfers at a time, well under
  // a second. The deadline is generous: this is a test that nothing stalls, not a timing.
  PARLAB_WITHIN(std::chrono::seconds(25), hang()) {
    std::vector<std::string> urls;
    for (int i = 0; i < 200; ++i) urls.push_back(draw_url(i % 150, 10));
    expect_like_baseline(urls, {GetParam().limit_for_two_hundred});
  };
}

TEST_P(TitlesHiddenContract, EveryListingIsFetchedExactlyOnce) {
  PARLAB_WITHIN(std::chrono::seconds(15), hang()) {
    std::vector<std::string> urls;
    for (int i = 0; i < 30; ++i) urls.push_back(draw_url(i % 9, 3));  // draws repeat: each listing counts
    urls.push_back(titled("two"));
    for (unsigned limit : {1u, 4u, 50u}) {
      fixture_reset_stats();
      const TitlesReport report = titles(urls, limit);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_EQ(route_stat("random", "requests"), 30u) << limit_trace(api(), limit) << ": one redirect per listing";
      EXPECT_EQ(route_stat("page", "requests"), 30u) << limit_trace(api(), limit) << ": one page per listing";
      EXPECT_EQ(route_stat("titled", "requests"), 1u) << limit_trace(api(), limit);
    }
  };
}

TEST_P(TitlesHiddenContract, DuplicatesAndUnicodeTotals) {
  PARLAB_WITHIN(std::chrono::seconds(15), hang()) {
    const std::vector<std::string> urls = {titled("entities"), draw_url(7),        titled("entities"),
                                           draw_url(7),        titled("entities"), titled("none")};
    const TitlesReport report = titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    ASSERT_TRUE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 3 * 28 + 2 * report.pages[1].title->size());
    expect_like_baseline(urls, {2, 6});
  };
}

TEST_P(TitlesHiddenContract, CallsFromSeveralThreadsAtOnce) {
  // Both headers promise thread safety: calls share no handle, no event loop and no results.
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back(draw_url(i, 5));
    urls.push_back(titled("entities"));
    const TitlesReport expected = api().baseline(urls);
    const TitlesFunction run = api().titles;
    std::vector<TitlesReport> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = run(urls, 4); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      expect_same_report(got[c], expected);
    }
  };
}

TEST_P(TitlesHiddenContract, RepeatedCallsGiveTheSameReport) {
  PARLAB_WITHIN(std::chrono::seconds(20), hang()) {
    std::vector<std::string> urls;
    for (int i = 0; i < 9; ++i) urls.push_back(draw_url(i, 1));
    const TitlesReport expected = api().baseline(urls);
    for (int round = 0; round < 10; ++round) {
      SCOPED_TRACE("round " + std::to_string(round));
      expect_same_report(titles(urls, 3), expected);
    }
  };
}

}  // namespace parlab::titles_testing
