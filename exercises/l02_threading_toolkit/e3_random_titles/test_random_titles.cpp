// Test: exercise 2.3 random_titles, public tests. You may add your own.
//
// Most of what random_titles promises, 2.4's async_titles promises too, so those cases are
// written once, in titles_contract.hpp, and run here on random_titles as
// RandomTitles/TitlesContract.<case>/random_titles:
//   TitlesAreThoseOfThePagesTheDrawsLandOn        the titles fixture_content.hpp predicts, in order
//   MatchesSequentialForSeveralConcurrencyLimits  equal to the baseline with 1, 2, 3 and 8 workers
//   ResultsComeBackInInputOrder                   slow first URLs still come back first
//   TitlesFollowTheParserRules                    entities, no title, whitespace, two titles, comments
//   TotalCountsCharactersNotBytes                 "Café" counts 4
//   RedirectChainsAreFollowed                     four redirects reach the page
//   RedirectLoopIsAnErrorOfThatPageOnly           the loop's result says so; the others are fine
//   DuplicatesAreFetchedAsOftenAsListed           a URL listed six times, six results
//   ConcurrencyLimitLargerThanTheList             16 workers for 3 URLs
//   EmptyListGivesAnEmptyReport                   no URL, no result, no thread left waiting
// Below them, what only 2.3 asks. A test that runs past its PARLAB_WITHIN deadline means a worker
// never finished: a thread left waiting or a join that never returns.
#include <gtest/gtest.h>

#include <stdexcept>

#include "random_titles.hpp"
#include "random_titles_testing.hpp"
#include "titles_contract.hpp"

namespace {

using parlab::titles_testing::draw_url;
using parlab::titles_testing::on_worker_threads;
using parlab::titles_testing::TitlesContract;

INSTANTIATE_TEST_SUITE_P(RandomTitles, TitlesContract,
                         ::testing::Values(on_worker_threads("random_titles", parlab::random_titles,
                                                             parlab::random_titles_sequential)),
                         parlab::titles_testing::test_name_of);

TEST(RandomTitles, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::random_titles({draw_url(1)}, 0), std::invalid_argument);
}

}  // namespace
