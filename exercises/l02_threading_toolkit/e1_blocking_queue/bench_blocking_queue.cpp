// Given, do not modify: the bench adapter of exercise 2.1, blocking_queue (see bench.hpp).
//
// Workload: `size` round trips of ping-pong between two threads through two queues of capacity 1.
// The pinger pushes a value drawn from the seed into the first queue and waits for the echo on
// the second; the echo thread pops each value and pushes back reply_to(value). Nothing else
// happens, so the time is nearly all handoff latency: how long a value sits in a queue before
// the thread waiting for it notices. `--workers` is ignored: there are always the two threads.
//
// Expected, on the 2-core course machine: the polling baseline takes 0.25-0.45 ms per round trip
// (the two threads fall into step, so a round trip costs about one poll: 200 us plus the kernel's
// timer slack, more on a busy machine); a queue whose waiters sleep on condition variables takes
// 0.005-0.03 ms, the cost of waking a thread. The grader times 2,000 round trips: 0.5-0.9 s for
// the baseline.
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench.hpp"
#include "blocking_queue.hpp"
#include "digest.hpp"

namespace parlab::bench {
namespace {

// splitmix64: a small, fixed generator, so the values are the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// What the echo thread sends back for a value: cheap, and unlike the value, so a reply that
// skipped the echo thread (or answered the wrong ping) shows in the digest.
Item reply_to(Item ping) { return (ping ^ (ping >> 29)) * 0xBF58476D1CE4E5B9ULL + 1; }

// One ping-pong game through two fresh queues of type Queue. Returns the replies in the order the
// pinger received them. Throws what the echo thread threw, or std::runtime_error when a reply
// never came because the echo thread ended early.
template <typename Queue>
std::vector<Item> ping_pong(const std::vector<Item>& pings) {
  Queue there(1);
  Queue back(1);
  std::exception_ptr echo_failure;
  std::vector<Item> replies;
  replies.reserve(pings.size());
  {
    std::jthread echo([&there, &back, &echo_failure] {
      try {
        while (const std::optional<Item> ping = there.pop()) back.push(reply_to(*ping));
      } catch (...) {
        echo_failure = std::current_exception();
      }
      back.close();  // the pinger must not wait for a reply that will never come
    });
    try {
      for (const Item ping : pings) {
        there.push(ping);
        const std::optional<Item> reply = back.pop();
        if (!reply) break;
        replies.push_back(*reply);
      }
    } catch (...) {
      there.close();  // lets the echo thread end, so the join below returns
      throw;
    }
    there.close();
  }  // joins the echo thread
  if (echo_failure) std::rethrow_exception(echo_failure);
  if (replies.size() != pings.size()) {
    throw std::runtime_error("the echo thread stopped after " + std::to_string(replies.size()) + " of " +
                             std::to_string(pings.size()) + " replies");
  }
  return replies;
}

class PingPongWorkload final : public Workload {
 public:
  explicit PingPongWorkload(std::vector<Item> pings) : pings_(std::move(pings)) {}

  void run_sequential() override { replies_ = ping_pong<PollingQueue>(pings_); }
  void run_student() override { replies_ = ping_pong<BlockingQueue>(pings_); }

  // The count, then every reply in the order received: a lost, repeated or reordered handoff
  // changes the digest.
  std::string digest() const override {
    Sha1 sha;
    sha.update(std::to_string(replies_.size())).update("\n");
    for (const Item reply : replies_) sha.update(std::to_string(reply)).update("\n");
    return sha.hex();
  }

 private:
  std::vector<Item> pings_;
  std::vector<Item> replies_;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const Params& params) {
  std::uint64_t state = params.seed;
  std::vector<Item> pings;
  pings.reserve(params.size);
  for (std::size_t i = 0; i < params.size; ++i) pings.push_back(next_random(state));
  return std::make_unique<PingPongWorkload>(std::move(pings));
}

}  // namespace parlab::bench
