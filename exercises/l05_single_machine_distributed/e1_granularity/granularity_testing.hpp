// Test support, given: what the public and the hidden tests of exercise 5.1 share.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "granularity.hpp"

namespace parlab::testing {

// What a PARLAB_WITHIN deadline passing means for map_tasks.
inline const std::string kHang =
    "map_tasks never returned: a worker that never finished, a join that waits forever, or a loop that never runs "
    "out of chunks";

// Result i weighted by i + 1, summed mod 2^64: a swapped, dropped or doubled result changes it.
// Known values of it were computed independently (Python integers mod 2^64).
inline std::uint64_t weighted_sum(std::span<const std::uint64_t> results) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < results.size(); ++i) sum += (i + 1) * results[i];
  return sum;
}

// `count` tasks of exactly `cost` rounds each, with distinct seeds 1000, 1001, ...
inline std::vector<Task> equal_tasks(std::size_t count, std::uint32_t cost) {
  std::vector<Task> tasks(count);
  for (std::size_t i = 0; i < count; ++i) tasks[i] = Task{cost, 1000 + i};
  return tasks;
}

// Same results, in the same order; a failure names the first index that differs.
inline void expect_same_results(const std::vector<std::uint64_t>& actual, const std::vector<std::uint64_t>& expected) {
  ASSERT_EQ(actual.size(), expected.size()) << "one result per task expected";
  const auto [mine, theirs] = std::mismatch(actual.begin(), actual.end(), expected.begin());
  EXPECT_TRUE(mine == actual.end()) << "first difference at task " << (mine - actual.begin()) << " of "
                                    << actual.size();
}

// map_tasks(tasks, w) equals the baseline for every w listed; a failure names the workers.
inline void expect_like_baseline(std::span<const Task> tasks, std::initializer_list<unsigned> worker_counts) {
  const std::vector<std::uint64_t> expected = map_tasks_sequential(tasks);
  for (const unsigned workers : worker_counts) {
    SCOPED_TRACE(std::to_string(tasks.size()) + " tasks, " + std::to_string(workers) + " workers");
    expect_same_results(map_tasks(tasks, workers), expected);
  }
}

// Threads of this process right now.
inline std::size_t thread_count() {
  const std::filesystem::directory_iterator threads("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(threads), end(threads)));
}

// Runs `call` while a watcher thread samples this process's threads every millisecond; returns
// how many threads the call added at most (the watcher itself not counted). A thread that lives
// less than a millisecond may be missed, so the tests give every thread tasks of a millisecond
// or more: a thread that runs any of them is seen.
inline std::size_t most_threads_added_by(const std::function<void()>& call) {
  using namespace std::chrono_literals;
  const std::size_t before = thread_count();
  std::atomic<bool> done{false};
  std::atomic<std::size_t> most{before + 1};
  std::jthread watcher([&] {
    while (!done.load()) {
      most.store(std::max(most.load(), thread_count()));
      std::this_thread::sleep_for(1ms);
    }
  });
  call();
  done.store(true);
  watcher.join();
  return most.load() - before - 1;
}

}  // namespace parlab::testing
