// Test: exercise 2.3 random_titles, hidden tests run by the grader.
//
// The cases 2.3 shares with 2.4 live in titles_contract_hidden.hpp beside this file, and run
// here on random_titles as RandomTitlesHidden/TitlesHiddenContract.<case>/random_titles: an empty
// list, one URL, more workers than URLs (up to 500), entities, no title, whitespace, two titles
// and comments, sixty known draws, redirect loops, five redirects and six, 200 URLs, one request
// per listing, duplicates with non-ASCII totals, calls from several threads, repeated calls.
// Below them, the cases of 2.3 alone. A test that runs past its PARLAB_WITHIN deadline means a
// worker never finished: a thread left waiting or a join that never returns.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "fixture_content.hpp"
#include "random_titles.hpp"
#include "random_titles_testing.hpp"
#include "titles_contract_hidden.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::TitlesReport;
using namespace parlab::titles_testing;

const TitlesUnderTest kRandomTitles =
    on_worker_threads("random_titles", parlab::random_titles, parlab::random_titles_sequential);

INSTANTIATE_TEST_SUITE_P(RandomTitlesHidden, TitlesHiddenContract,
                         ::testing::Values(HiddenTitlesCase{.api = kRandomTitles, .limit_for_two_hundred = 16}),
                         hidden_test_name_of);

TEST(RandomTitlesHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::random_titles({}, 0), std::invalid_argument);
  EXPECT_THROW(parlab::random_titles({draw_url(1), draw_url(2)}, 0), std::invalid_argument);
}

TEST(RandomTitlesHidden, EveryTitledPageAmongDraws) {
  PARLAB_WITHIN(15s, kRandomTitles.hang) {
    std::vector<std::string> urls;
    for (const char* name : parlab::fixture::kTitledNames) {
      urls.push_back(titled(name));
      urls.push_back(draw_url(urls.size(), 3));
    }
    expect_like_baseline(kRandomTitles, urls, {1, 3, 4, 10});
  };
}

TEST(RandomTitlesHidden, FailedTransfersAmongPages) {
  PARLAB_WITHIN(20s, kRandomTitles.hang) {
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
    expect_like_baseline(kRandomTitles, urls, {1, 2, 8});
  };
}

}  // namespace
