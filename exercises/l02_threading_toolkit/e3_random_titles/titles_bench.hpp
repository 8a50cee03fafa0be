// Given, do not modify: the bench workload that exercises 2.3 and 2.4 share (see bench.hpp); each
// adapter names its two functions and calls make_titles_workload.
//
// Workload: `size` random-page links of the fixture server, /random?draw=<n>&delay=25, draws
// picked from the seed (some repeat, as real lists do). Each redirect takes 25 ms of server
// latency; the page it leads to comes at once, and parsing it costs well under a millisecond.
// So the time is nearly all waiting: one loop takes about size x 25 ms, and `workers` requests
// waiting at once (threads in 2.3, a window in 2.4) about ceil(size / workers) x 25 ms.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "digest.hpp"
#include "fixture_env.hpp"
#include "random_titles.hpp"

namespace parlab::bench {

// The two functions an exercise times: its given baseline, and the student's version with its
// concurrency limit (2.3's workers, 2.4's max_in_flight), which receives the bench's --workers.
using TitlesBaseline = TitlesReport (*)(const std::vector<std::string>& urls);
using TitlesStudent = TitlesReport (*)(const std::vector<std::string>& urls, unsigned limit);

inline constexpr int kTitlesDelayMs = 25;

// splitmix64: a small, fixed generator, so the URL list is the same on every platform.
inline std::uint64_t titles_next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class TitlesWorkload final : public Workload {
 public:
  TitlesWorkload(TitlesBaseline baseline, TitlesStudent student, std::string base, std::vector<std::string> urls,
                 unsigned limit)
      : baseline_(baseline), student_(student), base_(std::move(base)), urls_(std::move(urls)), limit_(limit) {}

  void run_sequential() override { report_ = baseline_(urls_); }
  void run_student() override { report_ = student_(urls_, limit_); }

  // Every field of every result, in order, then the total, so reports that differ anywhere differ
  // here. URLs enter without the server's base: two runs by hand each start a server on its own
  // port, and must still agree.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(report_.pages.size())).update("\n");
    for (const PageTitle& page : report_.pages) {
      const std::string_view url(page.url);
      sha.update(url.starts_with(base_) ? url.substr(base_.size()) : url).update("\n");
      sha.update(std::to_string(page.status)).update(" ");
      sha.update(page.title ? "title " + *page.title : std::string("no title")).update("\n");
      sha.update(page.error).update("\n");
    }
    sha.update(std::to_string(report_.total_chars));
    return sha.hex();
  }

 private:
  TitlesBaseline baseline_;
  TitlesStudent student_;
  std::string base_;  // "http://127.0.0.1:<port>"
  std::vector<std::string> urls_;
  unsigned limit_;
  TitlesReport report_;
};

// The random-page links of (size, seed) on the fixture server at `base`.
inline std::vector<std::string> random_page_links(const std::string& base, std::size_t size, std::uint64_t seed) {
  std::uint64_t state = seed;
  const std::uint64_t draw_range = size > 0 ? size : 1;
  std::vector<std::string> urls;
  urls.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint64_t draw = titles_next_random(state) % draw_range;
    urls.push_back(base + "/random?draw=" + std::to_string(draw) + "&delay=" + std::to_string(kTitlesDelayMs));
  }
  return urls;
}

inline std::unique_ptr<Workload> make_titles_workload(const Params& params, TitlesBaseline baseline,
                                                      TitlesStudent student) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");

  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  return std::make_unique<TitlesWorkload>(baseline, student, base, random_page_links(base, params.size, params.seed),
                                          params.workers);
}

}  // namespace parlab::bench
