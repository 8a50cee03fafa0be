// Given, do not modify: the bench adapter of exercise 1.1, download_sites (see bench.hpp).
//
// Workload: `size` URLs of the fixture server, /page/<id>?delay=25, ids drawn from the seed
// (some repeat, as real lists do). Each answer takes 25 ms of server latency and almost no
// CPU, so the time is nearly all waiting: one loop takes about size x 25 ms, and `workers`
// threads about ceil(size / workers) x 25 ms.
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
#include "download_sites.hpp"
#include "fixture_env.hpp"

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

class DownloadSitesWorkload final : public Workload {
 public:
  DownloadSitesWorkload(std::string base, std::vector<std::string> urls, unsigned workers)
      : base_(std::move(base)), urls_(std::move(urls)), workers_(workers) {}

  void run_sequential() override { results_ = download_sites_sequential(urls_); }
  void run_student() override { results_ = download_sites(urls_, workers_); }

  // Every field of every result, in order, so results that differ anywhere differ here. URLs
  // enter without the server's base: two runs by hand each start a server on its own port,
  // and must still agree.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(results_.size())).update("\n");
    for (const SiteResult& r : results_) {
      const std::string_view url(r.url);
      sha.update(url.starts_with(base_) ? url.substr(base_.size()) : url).update("\n");
      sha.update(std::to_string(r.status)).update(" ").update(std::to_string(r.bytes)).update(" ");
      sha.update(r.digest).update("\n");
      sha.update(r.error).update("\n");
    }
    return sha.hex();
  }

 private:
  std::string base_;  // "http://127.0.0.1:<port>"
  std::vector<std::string> urls_;
  unsigned workers_;
  std::vector<SiteResult> results_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");

  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  std::uint64_t state = params.seed;
  const std::uint64_t id_range = params.size > 0 ? params.size : 1;
  std::vector<std::string> urls;
  urls.reserve(params.size);
  for (std::size_t i = 0; i < params.size; ++i) {
    const std::uint64_t id = next_random(state) % id_range;
    urls.push_back(base + "/page/" + std::to_string(id) + "?delay=" + std::to_string(kDelayMs));
  }
  return std::make_unique<DownloadSitesWorkload>(base, std::move(urls), params.workers);
}

}  // namespace parlab::bench
