// Given, do not modify: the bench adapter of exercise 2.2, health_check (see bench.hpp).
//
// Workload: `size` endpoints of the fixture server, checked with 2 attempts of at most 80 ms
// each. They cycle through four kinds, starting where the seed says: healthy (answers after a
// delay of 20-60 ms drawn from the seed), flaky (a key no run has used: answers, then stays
// silent), silent (never answers) and refused (nothing listens). One after another they take
// about size x 80 ms; all at once, about as long as the slowest, a silent one: 2 x 80 ms.
// check_hosts() takes no worker count: --workers is accepted and ignored.
#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "digest.hpp"
#include "fixture_env.hpp"
#include "health_check.hpp"

namespace parlab::bench {
namespace {

constexpr CheckOptions kOptions{2, std::chrono::milliseconds(80)};
constexpr std::uint64_t kMinDelayMs = 20;
constexpr std::uint64_t kMaxDelayMs = 60;

// splitmix64: a small, fixed generator, so the endpoint list is the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// One fixture server serves every run of a grading session, and a flaky key alternates over all
// of its requests ever: each run needs keys nobody used before, so they carry this process's id
// and a random number. Keys differ from run to run; the digest uses the labels below instead.
std::string process_nonce() {
  std::random_device entropy;
  return std::to_string(::getpid()) + "-" + std::to_string(entropy());
}

// An endpoint, and what the digest calls it: the same for every run with the same (size, seed).
struct Endpoint {
  std::string url;
  std::string label;
  std::chrono::milliseconds least_wait{0};  // what checking it takes at the least (every attempt is made)
};

std::vector<Endpoint> make_endpoints(std::size_t size, std::uint64_t seed) {
  const auto index = fixture_health_endpoints();  // may start an in-process server: untimed, here
  const std::string flaky_prefix =
      index.at("flaky").get<std::string>() + "b" + std::to_string(seed) + "-" + process_nonce() + "-";
  std::uint64_t state = seed;
  std::vector<Endpoint> endpoints;
  endpoints.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::string n = std::to_string(i);
    switch ((i + seed) % 4) {
      case 0: {
        const std::uint64_t ms = kMinDelayMs + next_random(state) % (kMaxDelayMs - kMinDelayMs + 1);
        const std::string delay = "?delay=" + std::to_string(ms);
        endpoints.push_back({index.at("healthy").get<std::string>() + delay, "healthy" + delay,
                             kOptions.attempts * std::chrono::milliseconds(ms)});
        break;
      }
      case 1:
        // A fresh key answers the 1st, 3rd, ... attempt; the others wait out their timeout.
        endpoints.push_back({flaky_prefix + n, "flaky", kOptions.attempts / 2 * kOptions.timeout});
        break;
      case 2:
        // Every attempt waits out its timeout.
        endpoints.push_back({index.at("silent").get<std::string>(), "silent", kOptions.attempts * kOptions.timeout});
        break;
      default:
        endpoints.push_back({index.at("refused").get<std::string>(), "refused"});
        break;
    }
  }
  return endpoints;
}

class HealthCheckWorkload final : public Workload {
 public:
  explicit HealthCheckWorkload(std::vector<Endpoint> endpoints) : endpoints_(std::move(endpoints)) {
    urls_.reserve(endpoints_.size());
    for (const Endpoint& e : endpoints_) urls_.push_back(e.url);
  }

  void run_sequential() override { reports_ = check_hosts_sequential(urls_, kOptions); }
  void run_student() override { reports_ = check_hosts(urls_, kOptions); }

  // Every field of every report, in order. A report's URL enters as its endpoint's label when it
  // is the URL listed at that index (URLs hold ports and per-run keys), else as itself, so a
  // report for the wrong endpoint changes the digest.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(reports_.size())).update("\n");
    for (std::size_t i = 0; i < reports_.size(); ++i) {
      const HostReport& r = reports_[i];
      const bool listed_here = i < urls_.size() && r.url == urls_[i];
      sha.update(listed_here ? endpoints_[i].label : "unexpected url " + r.url).update(" ");
      sha.update(to_string(r.health)).update(" ");
      sha.update(std::to_string(r.answered)).update("/").update(std::to_string(r.attempts)).update(" ");
      sha.update(std::to_string(r.status)).update(" ").update(to_string(r.last_failure)).update("\n");
    }
    return sha.hex();
  }

  // check_hosts checks every endpoint at once: as long as the slowest must take.
  double wait_floor_seconds() const override {
    std::chrono::milliseconds longest{0};
    for (const Endpoint& e : endpoints_) longest = std::max(longest, e.least_wait);
    return std::chrono::duration<double>(longest).count();
  }

 private:
  std::vector<Endpoint> endpoints_;
  std::vector<std::string> urls_;
  std::vector<HostReport> reports_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  // The bench driver leaves libcurl to the adapter: initialize it once, before any thread.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  return std::make_unique<HealthCheckWorkload>(make_endpoints(params.size, params.seed));
}

}  // namespace parlab::bench
