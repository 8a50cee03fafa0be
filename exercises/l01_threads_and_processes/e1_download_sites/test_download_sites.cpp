// Test: exercise 1.1 download_sites, public tests. You may add your own.
//
// Every URL points at the local fixture server (parlab::fixture_url()), which answers after
// a few milliseconds of injected latency. A test that runs past its PARLAB_WITHIN deadline
// means a worker never finished: a thread left waiting or a join that never returns.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "digest.hpp"
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

// Same length, and equal element by element; a failure names the first index that differs.
void expect_same_results(const std::vector<SiteResult>& actual, const std::vector<SiteResult>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one result per URL expected";
  for (std::size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "first difference at index " << i;
  }
}

std::size_t append(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// The body of `url`, fetched independently of the code under test.
std::string body_of(const std::string& url) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  if (curl_easy_perform(curl.get()) != CURLE_OK) throw std::runtime_error("cannot fetch " + url);
  return body;
}

TEST(DownloadSites, MatchesSequentialForSeveralWorkerCounts) {
  PARLAB_WITHIN(20s, kHang) {
    std::vector<std::string> urls;
    for (int id = 0; id < 12; ++id) urls.push_back(page(id));
    const auto expected = parlab::download_sites_sequential(urls);
    for (unsigned workers : {1u, 2u, 3u, 8u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      expect_same_results(parlab::download_sites(urls, workers), expected);
    }
  };
}

TEST(DownloadSites, ResultsComeBackInInputOrder) {
  PARLAB_WITHIN(20s, kHang) {
    // The first URLs are the slowest, so with several workers the last ones finish first.
    std::vector<std::string> urls;
    for (int id = 0; id < 8; ++id) urls.push_back(page(100 + id, 80 - 10 * id));
    const auto results = parlab::download_sites(urls, 4);
    ASSERT_EQ(results.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      EXPECT_EQ(results[i].url, urls[i]) << "result " << i << " is not for URL " << i;
      EXPECT_EQ(results[i].status, 200);
      EXPECT_EQ(results[i].error, "");
    }
  };
}

TEST(DownloadSites, BytesAndDigestDescribeTheBody) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls = {route("/page/7?size=3000"), route("/page/8?size=500"), route("/page/9")};
    const auto results = parlab::download_sites(urls, 3);
    ASSERT_EQ(results.size(), urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i) {
      const std::string body = body_of(urls[i]);
      EXPECT_EQ(results[i].bytes, body.size()) << urls[i];
      EXPECT_EQ(results[i].digest, parlab::sha1_hex(body)) << urls[i];
    }
  };
}

TEST(DownloadSites, ErrorStatusesAreRecordedWithTheirBodies) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls = {page(1), route("/status/404"), page(2), route("/status/500")};
    const auto results = parlab::download_sites(urls, 2);
    ASSERT_EQ(results.size(), 4u);
    EXPECT_EQ(results[0].status, 200);
    EXPECT_EQ(results[1].status, 404);
    EXPECT_EQ(results[2].status, 200);
    EXPECT_EQ(results[3].status, 500);
    for (const SiteResult& r : results) {
      EXPECT_EQ(r.error, "") << r.url << ": an HTTP error status is still a complete transfer";
      EXPECT_EQ(r.digest, parlab::sha1_hex(body_of(r.url))) << r.url;
    }
    expect_same_results(results, parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSites, ConnectionResetIsRecordedNotThrown) {
  PARLAB_WITHIN(20s, "download_sites never returned after a reset connection") {
    const std::vector<std::string> urls = {page(1), route("/fault/reset"), page(2), page(3)};
    const auto results = parlab::download_sites(urls, 2);
    ASSERT_EQ(results.size(), 4u);
    EXPECT_EQ(results[1].status, 0) << "a reset before any response has no status";
    EXPECT_NE(results[1].error, "") << "a reset must be recorded as an error";
    EXPECT_EQ(results[1].bytes, 0u);
    for (std::size_t i : {0u, 2u, 3u}) {
      EXPECT_EQ(results[i].status, 200) << "a reset must not spoil the other downloads";
      EXPECT_EQ(results[i].error, "");
    }
    expect_same_results(results, parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSites, DuplicatesAreDownloadedAsOftenAsListed) {
  PARLAB_WITHIN(20s, kHang) {
    const std::vector<std::string> urls(6, page(42));
    const auto results = parlab::download_sites(urls, 4);
    ASSERT_EQ(results.size(), 6u);
    for (const SiteResult& r : results) EXPECT_EQ(r, results[0]);
    EXPECT_EQ(results[0].status, 200);
  };
}

TEST(DownloadSites, MoreWorkersThanUrls) {
  PARLAB_WITHIN(20s, "more workers than URLs and download_sites never returned: an idle worker never stopped") {
    const std::vector<std::string> urls = {page(5), page(6), page(7)};
    expect_same_results(parlab::download_sites(urls, 16), parlab::download_sites_sequential(urls));
  };
}

TEST(DownloadSites, EmptyListGivesNoResults) {
  PARLAB_WITHIN(10s, "download_sites never returned on an empty list") {
    EXPECT_TRUE(parlab::download_sites({}, 1).empty());
    EXPECT_TRUE(parlab::download_sites({}, 8).empty());
  };
}

TEST(DownloadSites, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::download_sites({page(1)}, 0), std::invalid_argument);
}

}  // namespace
