// Given, do not modify: the sequential baseline of exercise 5.1, and the task and workload helpers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "granularity.hpp"

namespace parlab {
namespace {

// splitmix64: a small, fixed generator, so the workloads are the same on every platform.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t run_task(const Task& task) noexcept {
  std::uint64_t x = task.seed;
  // Each round needs the previous round's value: a chain of dependent steps that neither the
  // compiler (the cost is only known at run time) nor the CPU (no independent work) can shorten.
  for (std::uint32_t round = 0; round < task.cost; ++round) {
    x += 0x9E3779B97F4A7C15ULL;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
  }
  return x;
}

void run_tasks(std::span<const Task> tasks, std::span<std::uint64_t> results) {
  if (tasks.size() != results.size()) throw std::invalid_argument("run_tasks: one result slot per task, please");
  for (std::size_t i = 0; i < tasks.size(); ++i) results[i] = run_task(tasks[i]);
}

std::vector<Task> tiny_tasks(std::size_t count, std::uint64_t seed) {
  std::vector<Task> tasks(count);
  std::uint64_t state = seed;
  for (Task& task : tasks) {
    task.cost = kTinyMinCost + static_cast<std::uint32_t>(next_random(state) % (kTinyMaxCost - kTinyMinCost + 1));
    task.seed = next_random(state);
  }
  return tasks;
}

std::vector<Task> heavy_tasks(std::size_t count, std::uint64_t seed) {
  std::vector<Task> tasks(count);
  std::uint64_t state = seed;
  for (Task& task : tasks) {
    // u uniform in [0, 1) as a 32-bit fraction; the cost grows with u squared: most tasks cheap,
    // a few up to twenty times the cheapest. Integer arithmetic only, exact on every platform.
    const std::uint64_t u = next_random(state) >> 32;
    const std::uint64_t u_squared = (u * u) >> 32;
    task.cost = kHeavyMinCost + static_cast<std::uint32_t>((u_squared * (kHeavyMaxCost - kHeavyMinCost)) >> 32);
    task.seed = next_random(state);
  }
  // Cheapest first; equal costs by seed, so the order is a pure function of (count, seed).
  std::sort(tasks.begin(), tasks.end(),
            [](const Task& a, const Task& b) { return a.cost != b.cost ? a.cost < b.cost : a.seed < b.seed; });
  return tasks;
}

std::vector<std::uint64_t> map_tasks_sequential(std::span<const Task> tasks) {
  // Every task in one loop on the calling thread: one core busy, the others idle.
  std::vector<std::uint64_t> results(tasks.size());
  run_tasks(tasks, results);
  return results;
}

}  // namespace parlab
