// Test: exercise 2.3 random_titles, hidden tests run by the grader.
//
// Each case compares random_titles() with the baseline random_titles_sequential() on the same
// URLs, field by field, or with titles known from fixture_content.hpp, and adds what the
// baseline cannot check (one request per listing, calls from several threads). A test that runs
// past its PARLAB_WITHIN deadline means a worker never finished: a thread left waiting or a join
// that never returns.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "fixture_content.hpp"
#include "fixture_env.hpp"
#include "random_titles.hpp"
#include "random_titles_testing.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::PageTitle;
using parlab::TitlesReport;
using namespace parlab::titles_testing;

constexpr const char* kHang = "random_titles never returned: a worker that never finished or a join that waits forever";

// random_titles(urls, w) equals the baseline for every w listed.
void expect_like_baseline(const std::vector<std::string>& urls, std::initializer_list<unsigned> worker_counts) {
  const TitlesReport expected = parlab::random_titles_sequential(urls);
  for (unsigned workers : worker_counts) {
    SCOPED_TRACE("workers = " + std::to_string(workers));
    expect_same_report(parlab::random_titles(urls, workers), expected);
  }
}

std::uint64_t requests_on(const char* route_name) {
  const auto stats = parlab::fixture_stats();
  return stats.contains(route_name) ? stats[route_name].value("requests", std::uint64_t{0}) : 0;
}

std::string titled(const std::string& name) { return route("/titled/" + name); }

TEST(RandomTitlesHidden, EmptyList) {
  PARLAB_WITHIN(10s, kHang) {
    for (unsigned workers : {1u, 2u, 64u}) {
      const TitlesReport report = parlab::random_titles({}, workers);
      EXPECT_TRUE(report.pages.empty()) << "workers = " << workers;
      EXPECT_EQ(report.total_chars, 0u) << "workers = " << workers;
    }
  };
}

TEST(RandomTitlesHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::random_titles({}, 0), std::invalid_argument);
  EXPECT_THROW(parlab::random_titles({draw_url(1), draw_url(2)}, 0), std::invalid_argument);
}

TEST(RandomTitlesHidden, OneUrl) {
  PARLAB_WITHIN(10s, kHang) { expect_like_baseline({draw_url(3)}, {1, 2, 8}); };
}

TEST(RandomTitlesHidden, MoreWorkersThanUrls) {
  PARLAB_WITHIN(15s, kHang) {
    expect_like_baseline({draw_url(1), draw_url(2), draw_url(3), draw_url(4), draw_url(5)}, {6, 32, 500});
  };
}

TEST(RandomTitlesHidden, EntitiesAreDecoded) {
  PARLAB_WITHIN(10s, kHang) {
    const TitlesReport report = parlab::random_titles({titled("entities"), draw_url(1)}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].title, "Fish & Chips \u2013 \"Caf\u00e9\" \u00a9 \u2603 <3");
    ASSERT_TRUE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 28 + report.pages[1].title->size());
  };
}

TEST(RandomTitlesHidden, PageWithoutTitle) {
  PARLAB_WITHIN(10s, kHang) {
    // A page without <title>, and a 404 whose plain-text body has none either: complete
    // transfers, so no error, and no title.
    const std::vector<std::string> urls = {titled("none"), route("/status/404"), draw_url(2)};
    const TitlesReport report = parlab::random_titles(urls, 3);
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

TEST(RandomTitlesHidden, WhitespaceSecondTitlesAndComments) {
  PARLAB_WITHIN(10s, kHang) {
    const TitlesReport report = parlab::random_titles({titled("spaces"), titled("two"), titled("comment")}, 3);
    ASSERT_EQ(report.pages.size(), 3u);
    EXPECT_EQ(report.pages[0].title, "Spaced   Out") << "outer whitespace trimmed, inner kept";
    EXPECT_EQ(report.pages[1].title, "First") << "the first <title> counts";
    EXPECT_EQ(report.pages[2].title, "This one") << "a <title> inside a comment is not an element";
    EXPECT_EQ(report.total_chars, 12u + 5u + 8u);
  };
}

TEST(RandomTitlesHidden, EveryTitledPageAmongDraws) {
  PARLAB_WITHIN(15s, kHang) {
    std::vector<std::string> urls;
    for (const char* name : parlab::fixture::kTitledNames) {
      urls.push_back(titled(name));
      urls.push_back(draw_url(urls.size(), 3));
    }
    expect_like_baseline(urls, {1, 3, 4, 10});
  };
}

TEST(RandomTitlesHidden, KnownTitlesOfSixtyDraws) {
  PARLAB_WITHIN(15s, kHang) {
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 60; ++draw) urls.push_back(known_draw_url(1000 + draw));
    const TitlesReport report = parlab::random_titles(urls, 8);
    ASSERT_EQ(report.pages.size(), urls.size());
    std::size_t chars = 0;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(report.pages[i].title, known_draw_title(1000 + i)) << "index " << i;
      chars += known_draw_title(1000 + i).size();
    }
    EXPECT_EQ(report.total_chars, chars);
  };
}

TEST(RandomTitlesHidden, RedirectLoopsAreErrorsOfTheirPagesOnly) {
  PARLAB_WITHIN(20s, "random_titles never returned with redirect loops in the list") {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back(i % 4 == 1 ? route("/redirect/loop") : draw_url(i, 2));
    const TitlesReport report = parlab::random_titles(urls, 3);
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

TEST(RandomTitlesHidden, FiveRedirectsAreFollowedSixAreNot) {
  PARLAB_WITHIN(10s, kHang) {
    // /redirect/<n> takes n + 1 redirects to reach /page/0.
    const std::string base = known_seed_server().url();
    const TitlesReport report = parlab::random_titles({base + "/redirect/4", base + "/redirect/5"}, 2);
    ASSERT_EQ(report.pages.size(), 2u);
    EXPECT_EQ(report.pages[0].error, "");
    EXPECT_EQ(report.pages[0].title, known_page_title(0));
    EXPECT_EQ(report.pages[1].error, too_many_redirects());
    EXPECT_EQ(report.pages[1].title, std::nullopt);
    EXPECT_EQ(report.total_chars, known_page_title(0).size());
  };
}

TEST(RandomTitlesHidden, FailedTransfersAmongPages) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls = {route("/fault/reset"),
                                           draw_url(1),
                                           route("/fault/truncate?size=3000"),
                                           route("/status/500"),
                                           draw_url(2, 10),
                                           route("/redirect/loop"),
                                           route("/fault/trickle?size=800&chunk=100&interval=10"),
                                           draw_url(3)};
    const TitlesReport report = parlab::random_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    EXPECT_EQ(report.pages[0].status, 0) << "a reset before any response has no status";
    EXPECT_EQ(report.pages[0].error, curl_easy_strerror(CURLE_RECV_ERROR));
    EXPECT_EQ(report.pages[2].error, curl_easy_strerror(CURLE_PARTIAL_FILE));
    EXPECT_EQ(report.pages[6].error, "") << "a slow body is still a complete transfer";
    expect_like_baseline(urls, {1, 2, 8});
  };
}

TEST(RandomTitlesHidden, TwoHundredUrls) {
  // Sequentially 200 x 10 ms is about 2 s; with 16 workers well under a second. The deadline is
  // generous: this is a test that nothing stalls, not a timing.
  PARLAB_WITHIN(25s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 200; ++i) urls.push_back(draw_url(i % 150, 10));
    expect_like_baseline(urls, {16});
  };
}

TEST(RandomTitlesHidden, EveryListingIsFetchedExactlyOnce) {
  PARLAB_WITHIN(15s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 30; ++i) urls.push_back(draw_url(i % 9, 3));  // draws repeat: each listing counts
    urls.push_back(titled("two"));
    for (unsigned workers : {1u, 4u, 50u}) {
      parlab::fixture_reset_stats();
      const TitlesReport report = parlab::random_titles(urls, workers);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_EQ(requests_on("random"), 30u) << "workers = " << workers << ": one redirect per listing";
      EXPECT_EQ(requests_on("page"), 30u) << "workers = " << workers << ": one page per listing";
      EXPECT_EQ(requests_on("titled"), 1u) << "workers = " << workers;
    }
  };
}

TEST(RandomTitlesHidden, DuplicatesAndUnicodeTotals) {
  PARLAB_WITHIN(15s, kHang) {
    const std::vector<std::string> urls = {titled("entities"), draw_url(7),        titled("entities"),
                                           draw_url(7),        titled("entities"), titled("none")};
    const TitlesReport report = parlab::random_titles(urls, 4);
    ASSERT_EQ(report.pages.size(), urls.size());
    ASSERT_TRUE(report.pages[1].title.has_value());
    EXPECT_EQ(report.total_chars, 3 * 28 + 2 * report.pages[1].title->size());
    expect_like_baseline(urls, {2, 6});
  };
}

TEST(RandomTitlesHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: no shared handle, no shared results between calls.
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 12; ++i) urls.push_back(draw_url(i, 5));
    urls.push_back(titled("entities"));
    const TitlesReport expected = parlab::random_titles_sequential(urls);
    std::vector<TitlesReport> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::random_titles(urls, 4); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      expect_same_report(got[c], expected);
    }
  };
}

TEST(RandomTitlesHidden, RepeatedCallsGiveTheSameReport) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 9; ++i) urls.push_back(draw_url(i, 1));
    const TitlesReport expected = parlab::random_titles_sequential(urls);
    for (int round = 0; round < 10; ++round) {
      SCOPED_TRACE("round " + std::to_string(round));
      expect_same_report(parlab::random_titles(urls, 3), expected);
    }
  };
}

}  // namespace
