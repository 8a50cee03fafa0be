// Test: exercise 1.1 download_sites, hidden tests run by the grader.
//
// Each case compares download_sites() with the baseline download_sites_sequential() on the
// same URLs, field by field, and adds what the baseline cannot check (one request per
// listing, no thread left behind). A test that runs past its PARLAB_WITHIN deadline means a
// worker never finished: a thread left waiting or a join that never returns.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "download_sites.hpp"
#include "download_sites_testing.hpp"
#include "fixture_env.hpp"

namespace {

using namespace std::chrono_literals;
using parlab::SiteResult;

constexpr const char* kHang =
    "download_sites never returned: a worker that never finished or a join that waits forever";

std::string page(int id, int delay_ms = 5) {
  return parlab::fixture_url() + "/page/" + std::to_string(id) + "?delay=" + std::to_string(delay_ms);
}

std::string route(const std::string& path) { return parlab::fixture_url() + path; }

void expect_same_results(const std::vector<SiteResult>& actual, const std::vector<SiteResult>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one result per URL expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "first difference at index " << i;
  }
}

// download_sites(urls, w) equals the baseline for every w listed.
void expect_like_baseline(const std::vector<std::string>& urls, std::initializer_list<unsigned> worker_counts) {
  const auto expected = parlab::download_sites_sequential(urls);
  for (unsigned workers : worker_counts) {
    SCOPED_TRACE("workers = " + std::to_string(workers));
    expect_same_results(parlab::download_sites(urls, workers), expected);
  }
}

std::uint64_t page_requests() {
  const auto stats = parlab::fixture_stats();
  return stats.contains("page") ? stats["page"].value("requests", std::uint64_t{0}) : 0;
}

TEST(DownloadSitesHidden, EmptyList) {
  PARLAB_WITHIN(10s, kHang) {
    for (unsigned workers : {1u, 2u, 64u}) {
      EXPECT_TRUE(parlab::download_sites({}, workers).empty()) << "workers = " << workers;
    }
  };
}

TEST(DownloadSitesHidden, OneUrl) {
  PARLAB_WITHIN(10s, kHang) { expect_like_baseline({page(3)}, {1, 2, 8}); };
}

TEST(DownloadSitesHidden, MoreWorkersThanUrls) {
  PARLAB_WITHIN(10s, kHang) { expect_like_baseline({page(1), page(2), page(3), page(4), page(5)}, {6, 32, 500}); };
}

TEST(DownloadSitesHidden, OneWorker) {
  PARLAB_WITHIN(10s, kHang) {
    std::vector<std::string> urls;
    for (int id = 0; id < 10; ++id) urls.push_back(page(id, 2));
    expect_like_baseline(urls, {1});
  };
}

TEST(DownloadSitesHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::download_sites({}, 0), std::invalid_argument);
  EXPECT_THROW(parlab::download_sites({page(1), page(2)}, 0), std::invalid_argument);
}

TEST(DownloadSitesHidden, DuplicateUrls) {
  PARLAB_WITHIN(10s, kHang) {
    const std::vector<std::string> urls = {
        page(1), page(2), page(1), page(1), route("/status/404"), page(2), route("/status/404"), page(1)};
    expect_like_baseline(urls, {2, 3, 8});
  };
}

TEST(DownloadSitesHidden, ErrorStatuses) {
  PARLAB_WITHIN(10s, kHang) {
    const std::vector<std::string> urls = {route("/status/404"), page(1), route("/status/500"),
                                           route("/status/503"), page(2), route("/status/404")};
    const auto results = parlab::download_sites(urls, 3);
    ASSERT_EQ(results.size(), urls.size());
    const long expected_status[] = {404, 200, 500, 503, 200, 404};
    for (std::size_t i = 0; i < results.size(); ++i) {
      EXPECT_EQ(results[i].status, expected_status[i]) << urls[i];
      EXPECT_EQ(results[i].error, "") << urls[i] << ": an HTTP error status is a complete transfer";
      EXPECT_EQ(results[i].digest.size(), 40u) << urls[i] << ": every result carries a SHA-1";
    }
    expect_same_results(results, parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSitesHidden, Resets) {
  PARLAB_WITHIN(15s, kHang) {
    const std::vector<std::string> urls = {route("/fault/reset"), page(1), route("/fault/reset"), page(2), page(3),
                                           route("/fault/reset")};
    const auto results = parlab::download_sites(urls, 4);
    ASSERT_EQ(results.size(), urls.size());
    for (std::size_t i : {0u, 2u, 5u}) {
      EXPECT_EQ(results[i].status, 0) << "index " << i;
      EXPECT_NE(results[i].error, "") << "index " << i << ": a reset must be recorded";
    }
    for (std::size_t i : {1u, 3u, 4u}) EXPECT_EQ(results[i].status, 200) << "index " << i;
    expect_same_results(results, parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSitesHidden, Truncation) {
  PARLAB_WITHIN(15s, kHang) {
    const std::vector<std::string> urls = {page(1), route("/fault/truncate?size=4000"), page(2),
                                           route("/fault/truncate?size=1000")};
    const auto results = parlab::download_sites(urls, 4);
    ASSERT_EQ(results.size(), urls.size());
    for (std::size_t i : {1u, 3u}) {
      EXPECT_NE(results[i].error, "") << "index " << i << ": a truncated body must be recorded";
    }
    // The server announces `size` bytes and sends half: the half that arrived still counts.
    EXPECT_EQ(results[1].bytes, 2000u);
    EXPECT_EQ(results[3].bytes, 500u);
    expect_same_results(results, parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSitesHidden, TrickleMixedWithFastPages) {
  PARLAB_WITHIN(20s, kHang) {
    // About 0.3 s for the trickle: with two or more workers the fast pages do not wait for it.
    std::vector<std::string> urls = {route("/fault/trickle?size=1500&chunk=100&interval=20")};
    for (int id = 0; id < 12; ++id) urls.push_back(page(id, 2));
    const auto results = parlab::download_sites(urls, 4);
    ASSERT_EQ(results.size(), urls.size());
    EXPECT_EQ(results[0].status, 200);
    EXPECT_EQ(results[0].error, "") << "a slow body is still a complete transfer";
    EXPECT_EQ(results[0].bytes, 1500u);
    expect_same_results(results, parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSitesHidden, TwoHundredUrls) {
  // Sequentially 200 x 10 ms is about 2 s; with 16 workers well under a second. The deadline
  // is generous: this is a test that nothing stalls, not a timing.
  PARLAB_WITHIN(25s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 200; ++i) urls.push_back(page(i % 150, 10));
    expect_like_baseline(urls, {16});
  };
}

TEST(DownloadSitesHidden, EveryListingIsRequestedExactlyOnce) {
  PARLAB_WITHIN(15s, kHang) {
    std::vector<std::string> urls;
    for (int i = 0; i < 30; ++i) urls.push_back(page(i % 9, 3));  // ids repeat: each listing counts
    urls.push_back(route("/status/404"));
    for (unsigned workers : {1u, 4u, 50u}) {
      parlab::fixture_reset_stats();
      const auto results = parlab::download_sites(urls, workers);
      EXPECT_EQ(results.size(), urls.size());
      EXPECT_EQ(page_requests(), 30u) << "workers = " << workers
                                      << ": each page URL must be requested once per listing";
    }
  };
}

TEST(DownloadSitesHidden, RedirectsAreNotFollowed) {
  PARLAB_WITHIN(10s, kHang) {
    // /random answers 302 to a page that changes from request to request, so only the
    // status is compared, and the page it points to must never be requested.
    const std::vector<std::string> urls = {route("/random"), page(1), route("/random")};
    parlab::fixture_reset_stats();
    const auto results = parlab::download_sites(urls, 3);
    ASSERT_EQ(results.size(), urls.size());
    EXPECT_EQ(results[0].status, 302);
    EXPECT_EQ(results[2].status, 302);
    EXPECT_EQ(results[0].error, "");
    EXPECT_EQ(results[1].status, 200);
    EXPECT_EQ(page_requests(), 1u) << "a redirect was followed: the header says it must not be";
  };
}

TEST(DownloadSitesHidden, EverythingMixed) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls = {page(10, 20),
                                           route("/status/503"),
                                           route("/fault/reset"),
                                           page(11, 1),
                                           route("/page/12?size=20000"),
                                           route("/fault/truncate?size=3000"),
                                           page(10, 20),
                                           route("/status/500"),
                                           page(13, 15),
                                           route("/delay/10"),
                                           page(14, 0)};
    expect_like_baseline(urls, {1, 2, 5, 11, 40});
  };
}

TEST(DownloadSitesHidden, CallsFromSeveralThreadsAtOnce) {
  // The header promises thread safety: no shared handle, no shared results between calls.
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int id = 0; id < 12; ++id) urls.push_back(page(id, 5));
    const auto expected = parlab::download_sites_sequential(urls);
    std::vector<std::vector<SiteResult>> got(3);
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] { got[c] = parlab::download_sites(urls, 4); });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      expect_same_results(got[c], expected);
    }
  };
}

TEST(DownloadSitesHidden, RepeatedCallsGiveTheSameResults) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int id = 0; id < 9; ++id) urls.push_back(page(id, 1));
    const auto expected = parlab::download_sites_sequential(urls);
    for (int round = 0; round < 10; ++round) {
      SCOPED_TRACE("round " + std::to_string(round));
      expect_same_results(parlab::download_sites(urls, 3), expected);
    }
  };
}

}  // namespace
