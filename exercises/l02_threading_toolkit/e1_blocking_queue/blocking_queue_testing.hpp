// Test support, given: what the public and the hidden tests of exercise 2.1 share.
#pragma once

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "blocking_queue.hpp"

namespace parlab::testing {

constexpr const char* kHang =
    "a queue call never returned: a waiter nobody woke (a missing notify, or close() that does not wake "
    "everyone), or a wait whose condition can never become true";

// The item producer `p` pushes as its k-th: who pushed it and when are readable from the item.
constexpr Item tagged(std::uint32_t producer, std::uint32_t k) { return (Item{producer} << 32) | k; }
constexpr std::uint32_t producer_of(Item item) { return static_cast<std::uint32_t>(item >> 32); }
constexpr std::uint32_t sequence_of(Item item) { return static_cast<std::uint32_t>(item); }

// CPU time (user + system) the calling thread has used so far. RUSAGE_THREAD counts this thread
// alone, so a waiting thread's own cost is measured whatever the rest of the process does.
inline std::chrono::microseconds thread_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  auto micros = [](const timeval& tv) {
    return std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

// A thread blocked in a queue call for ~300 ms may use this much CPU. Sleeping until notified costs
// well under a millisecond; polling every 200 us costs about 10 ms (measured, also under
// ThreadSanitizer); a loop that spins or yields instead of sleeping burns most of the 300 ms. The
// margin is wide for slow, shared and sanitized machines.
constexpr auto kWaitCpuBudget = std::chrono::milliseconds(60);

// What each thread popped or pushed, in its own order.
using Log = std::vector<Item>;

// Every item in the logs, sorted: two runs moved the same items when these are equal.
inline std::vector<Item> all_items(const std::vector<Log>& logs) {
  std::vector<Item> items;
  for (const Log& log : logs) items.insert(items.end(), log.begin(), log.end());
  std::sort(items.begin(), items.end());
  return items;
}

// First in, first out, seen from one consumer: the items it got from any one producer come in
// the order that producer pushed them (a queue may interleave producers, never reorder one).
inline void expect_fifo_per_producer(const std::vector<Log>& popped) {
  for (std::size_t c = 0; c < popped.size(); ++c) {
    std::map<std::uint32_t, std::uint32_t> next_at_least;  // producer -> lowest sequence still allowed
    for (const Item item : popped[c]) {
      auto [it, fresh] = next_at_least.try_emplace(producer_of(item), 0);
      ASSERT_GE(sequence_of(item), it->second)
          << "consumer " << c << " got item " << sequence_of(item) << " of producer " << producer_of(item)
          << " after a later item of that producer: the queue reordered one producer's items";
      it->second = sequence_of(item) + 1;
    }
  }
}

// The pops account for exactly the pushes: nothing lost, nothing duplicated, nothing invented.
inline void expect_same_items(const std::vector<Log>& pushed, const std::vector<Log>& popped) {
  const std::vector<Item> in = all_items(pushed);
  const std::vector<Item> out = all_items(popped);
  ASSERT_EQ(out.size(), in.size()) << "items pushed and items popped differ in number: lost or duplicated items";
  for (std::size_t i = 0; i < in.size(); ++i) {
    ASSERT_EQ(out[i], in[i]) << "the first item (in sorted order) that differs: lost, duplicated or made up";
  }
}

// The shape of a stress run: producers push `per_producer` tagged items each, consumers pop
// until the queue is closed and drained, calling task_done() for each item.
struct StressPlan {
  std::size_t capacity = 0;
  unsigned producers = 1;
  unsigned consumers = 1;
  std::uint32_t per_producer = 1;
};

struct StressOutcome {
  std::vector<Log> pushed;       // per producer
  std::vector<Log> popped;       // per consumer
  std::size_t largest_size = 0;  // the most size() ever reported while the run went on
  std::size_t done_at_join = 0;  // items consumers had finished when join() returned
};

// Runs the plan: producers and consumers at once, a watcher sampling size(), then join() once
// all producers are through, then close() to let the consumers go.
template <typename Queue>
StressOutcome run_stress(Queue& queue, const StressPlan& plan) {
  StressOutcome out;
  out.pushed.resize(plan.producers);
  out.popped.resize(plan.consumers);
  std::atomic<std::size_t> finished{0};
  std::atomic<bool> running{true};
  {
    std::vector<std::jthread> consumers;
    for (unsigned c = 0; c < plan.consumers; ++c) {
      consumers.emplace_back([&queue, &finished, log = &out.popped[c]] {
        while (const std::optional<Item> item = queue.pop()) {
          log->push_back(*item);
          finished.fetch_add(1);
          queue.task_done();
        }
      });
    }
    std::jthread watcher([&queue, &running, &out] {
      while (running.load()) {
        out.largest_size = std::max(out.largest_size, queue.size());
        std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    });
    {
      std::vector<std::jthread> producers;
      for (unsigned p = 0; p < plan.producers; ++p) {
        producers.emplace_back([&queue, &plan, p, log = &out.pushed[p]] {
          for (std::uint32_t k = 0; k < plan.per_producer; ++k) {
            queue.push(tagged(p, k));
            log->push_back(tagged(p, k));
          }
        });
      }
    }
    queue.join();
    out.done_at_join = finished.load();
    running.store(false);
    queue.close();
  }
  return out;
}

}  // namespace parlab::testing
