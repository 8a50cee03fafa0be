// Given, do not modify: the bench adapter of exercise 4.1, async_delays (see bench.hpp).
//
// Workload: `size` requests to the fixture's /delay/<ms>, each delay drawn from the seed between
// 50 and 150 ms, and one request, also drawn from the seed, to /status/503?delay=<ms> instead (an
// error answer, recorded and left out of the total). One after another they take the sum of the
// delays, about size x 100 ms; all waiting at once (the grader's --workers is async_delays'
// max_in_flight) about the longest of them, 150 ms.
#include <curl/curl.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
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

struct DelayRequests {
  std::vector<std::string> urls;
  std::vector<std::uint64_t> delays_ms;  // each URL's, in the same order
};

// The requests of (size, seed) on the fixture server at `base`.
DelayRequests delay_requests(const std::string& base, std::size_t size, std::uint64_t seed) {
  std::uint64_t state = seed;
  const std::size_t failing = size > 0 ? next_random(state) % size : 0;
  DelayRequests out;
  out.urls.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint64_t ms = kShortestMs + next_random(state) % (kLongestMs - kShortestMs + 1);
    out.urls.push_back(i == failing ? base + "/status/503?delay=" + std::to_string(ms) : delay_url(base, ms));
    out.delays_ms.push_back(ms);
  }
  return out;
}

class DelaysWorkload final : public Workload {
 public:
  DelaysWorkload(std::string base, DelayRequests requests, unsigned max_in_flight)
      : base_(std::move(base)),
        urls_(std::move(requests.urls)),
        delays_ms_(std::move(requests.delays_ms)),
        max_in_flight_(max_in_flight) {}

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

  // The delays started in list order, each as soon as one of max_in_flight slots is free:
  // with every request in flight at once, the longest delay.
  double wait_floor_seconds() const override {
    std::priority_queue<std::uint64_t, std::vector<std::uint64_t>, std::greater<>> slot_free_at;
    std::uint64_t last_end = 0;
    for (const std::uint64_t ms : delays_ms_) {
      std::uint64_t start = 0;
      if (slot_free_at.size() >= std::max(1u, max_in_flight_)) {
        start = slot_free_at.top();
        slot_free_at.pop();
      }
      slot_free_at.push(start + ms);
      last_end = std::max(last_end, start + ms);
    }
    return static_cast<double>(last_end) / 1e3;
  }

 private:
  std::string base_;  // "http://127.0.0.1:<port>"
  std::vector<std::string> urls_;
  std::vector<std::uint64_t> delays_ms_;
  unsigned max_in_flight_;
  DelaysReport report_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");

  const std::string base = fixture_url();  // may start an in-process server: untimed, here
  return std::make_unique<DelaysWorkload>(base, delay_requests(base, params.size, params.seed), params.workers);
}

}  // namespace parlab::bench
