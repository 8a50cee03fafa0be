// Given, do not modify: the bench adapter of exercise 2.3, random_titles (see bench.hpp).
//
// Workload: `size` random-page links of the fixture server, /random?draw=<n>&delay=25, draws
// picked from the seed (some repeat, as real lists do). Each redirect takes 25 ms of server
// latency; the page it leads to comes at once, and parsing it costs well under a millisecond.
// So the time is nearly all waiting: one loop takes about size x 25 ms, and `workers` threads
// about ceil(size / workers) x 25 ms.
#include <curl/curl.h>

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
namespace {

constexpr int kDelayMs = 25;

// splitmix64: a small, fixed generator, so the URL list is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class RandomTitlesWorkload final : public Workload {
 public:
  RandomTitlesWorkload(std::string base, std::vector<std::string> urls, unsigned workers)
      : base_(std::move(base)), urls_(std::move(urls)), workers_(workers) {}

  void run_sequential() override { report_ = random_titles_sequential(urls_); }
  void run_student() override { report_ = random_titles(urls_, workers_); }

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
  std::string base_;  // "http://127.0.0.1:<port>"
  std::vector<std::string> urls_;
  unsigned workers_;
  TitlesReport report_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");

  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  std::uint64_t state = params.seed;
  const std::uint64_t draw_range = params.size > 0 ? params.size : 1;
  std::vector<std::string> urls;
  urls.reserve(params.size);
  for (std::size_t i = 0; i < params.size; ++i) {
    const std::uint64_t draw = next_random(state) % draw_range;
    urls.push_back(base + "/random?draw=" + std::to_string(draw) + "&delay=" + std::to_string(kDelayMs));
  }
  return std::make_unique<RandomTitlesWorkload>(base, std::move(urls), params.workers);
}

}  // namespace parlab::bench
