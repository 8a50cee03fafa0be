// Given, do not modify: the bench adapter of exercise 4.1, async_delays (see bench.hpp).
//
// Workload: `size` requests to the fixture's /delay/<ms>, each delay drawn from the seed between
// 50 and 150 ms, and one request, also drawn from the seed, to /status/503?delay=<ms> instead (an
// error answer, recorded and left out of the total). One after another they take the sum of the
// delays, about size x 100 ms; all waiting at once (the grader's --workers is async_delays'
// max_in_flight) about the longest of them, 150 ms.
#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "async_delays.hpp"
#include "bench.hpp"
#include "digest.hpp"
#include "fixture_env.hpp"

namespace parlab::bench {
namespace {

constexpr std::uint64_t kShortestMs = 50;
constexpr std::uint64_t kLongestMs = 150;

// splitmix64: a small, fixed generator, so the workload is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The URLs of (size, seed) on the fixture server at `base`.
std::vector<std::string> delay_urls(const std::string& base, std::size_t size, std::uint64_t seed) {
  std::uint64_t state = seed;
  const std::size_t failing = size > 0 ? next_random(state) % size : 0;
  std::vector<std::string> urls;
  urls.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint64_t ms = kShortestMs + next_random(state) % (kLongestMs - kShortestMs + 1);
    urls.push_back(i == failing ? base + "/status/503?delay=" + std::to_string(ms) : delay_url(base, ms));
  }
  return urls;
}

class DelaysWorkload final : public Workload {
 public:
  DelaysWorkload(std::string base, std::vector<std::string> urls, unsigned max_in_flight)
      : base_(std::move(base)), urls_(std::move(urls)), max_in_flight_(max_in_flight) {}

  void run_sequential() override { report_ = async_delays_sequential(urls_); }
  void run_student() override { report_ = async_delays(urls_, max_in_flight_); }

  // Every field of every answer, in order, then the total, so reports that differ anywhere differ
  // here. URLs enter without the server's base: two runs by hand each start a server on its own
  // port, and must still agree.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(report_.answers.size())).update("\n");
    for (const DelayAnswer& answer : report_.answers) {
      const std::string_view url(answer.url);
      sha.update(url.starts_with(base_) ? url.substr(base_.size()) : url).update("\n");
      sha.update(std::to_string(answer.status)).update(" ").update(std::to_string(answer.delay_ms)).update(" ");
      sha.update(answer.path).update("\n").update(answer.error).update("\n");
    }
    sha.update(std::to_string(report_.total_delay_ms));
    return sha.hex();
  }

 private:
  std::string base_;  // "http://127.0.0.1:<port>"
  std::vector<std::string> urls_;
  unsigned max_in_flight_;
  DelaysReport report_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");

  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  return std::make_unique<DelaysWorkload>(base, delay_urls(base, params.size, params.seed), params.workers);
}

}  // namespace parlab::bench
