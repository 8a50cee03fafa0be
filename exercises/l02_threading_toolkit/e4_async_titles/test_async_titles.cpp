// Test: exercise 2.4 async_titles, public tests. You may add your own.
//
// async_titles keeps 2.3's contract: those cases are written once, in 2.3's
// titles_contract.hpp, and run here on async_titles as
// AsyncTitles/TitlesContract.<case>/async_titles:
//   TitlesAreThoseOfThePagesTheDrawsLandOn        the titles fixture_content.hpp predicts, in order
//   MatchesSequentialForSeveralConcurrencyLimits  equal to the baseline with windows of 1, 2, 3 and 8
//   ResultsComeBackInInputOrder                   slow first URLs still come back first
//   TitlesFollowTheParserRules                    entities, no title, whitespace, two titles, comments
//   TotalCountsCharactersNotBytes                 "Café" counts 4
//   RedirectChainsAreFollowed                     four redirects reach the page
//   RedirectLoopIsAnErrorOfThatPageOnly           the loop's result says so; the others are fine
//   DuplicatesAreFetchedAsOftenAsListed           a URL listed six times, six results
//   ConcurrencyLimitLargerThanTheList             a window of 16 for 3 URLs
//   EmptyListGivesAnEmptyReport                   no URL, no result, no wait that never ends
// Below them, what only 2.4 asks: the window. The fixture server counts the requests it has in
// flight. A test that runs past its PARLAB_WITHIN deadline means the event loop never finished:
// a transfer never reaped, a slot never refilled, or a wait for news that cannot come.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "async_titles.hpp"
#include "deadline.hpp"
#include "fixture_env.hpp"
#include "random_titles_testing.hpp"
#include "titles_contract.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::TitlesReport;
using parlab::titles_testing::draw_url;
using parlab::titles_testing::on_one_event_loop;
using parlab::titles_testing::route_stat;
using parlab::titles_testing::TitlesContract;
using parlab::titles_testing::TitlesUnderTest;

const TitlesUnderTest kAsyncTitles =
    on_one_event_loop("async_titles", parlab::async_titles, parlab::async_titles_sequential);

INSTANTIATE_TEST_SUITE_P(AsyncTitles, TitlesContract, ::testing::Values(kAsyncTitles),
                         parlab::titles_testing::test_name_of);

TEST(AsyncTitles, NeverMoreRequestsInFlightThanTheWindow) {
  PARLAB_WITHIN(30s, kAsyncTitles.hang) {
    // Each URL is a 30 ms redirect, then its page: one request after the other on one handle, so
    // the server's peak of requests in flight counts the transfers open at once.
    std::vector<std::string> urls;
    for (std::uint64_t draw = 0; draw < 16; ++draw) urls.push_back(draw_url(draw, 30));
    for (unsigned window : {1u, 3u, 5u}) {
      parlab::fixture_reset_stats();
      const TitlesReport report = parlab::async_titles(urls, window);
      EXPECT_EQ(report.pages.size(), urls.size());
      EXPECT_LE(route_stat("total", "peak_in_flight"), window)
          << "max_in_flight = " << window << ": more transfers open than allowed";
    }
  };
}

TEST(AsyncTitles, ZeroWindowIsRejected) { EXPECT_THROW(parlab::async_titles({draw_url(1)}, 0), std::invalid_argument); }

}  // namespace
