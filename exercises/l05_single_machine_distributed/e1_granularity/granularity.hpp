// Given, do not modify: the API of exercise 5.1, granularity, and its concurrency contract.
//
// Map one function over a list of independent tasks and return every task's result, in order.
// The tasks' costs range from about a microsecond to about twenty milliseconds. A worker has a
// fixed cost (starting a thread, claiming a piece of work) besides the variable cost of the tasks
// it runs; the pieces of work must be big enough that the fixed costs vanish next to the work,
// and small enough that no worker is left with a long tail of work after the others finished.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace parlab {

// One task: `cost` rounds of a mixing step applied to `seed`. The cost is known before the task
// runs, and a task's run time is proportional to it: about 3 ns per round on the course machine
// (run_task's rounds depend on each other, so no compiler or CPU can overlap or skip them).
struct Task {
  std::uint32_t cost = 0;  // rounds of mixing; 0 is allowed (the result is then the seed)
  std::uint64_t seed = 0;  // the value the rounds start from
  bool operator==(const Task&) const = default;
};

// The costs of the two workloads the grader times (in rounds, see Task).
inline constexpr std::uint32_t kTinyMinCost = 150;         // about 0.4 us
inline constexpr std::uint32_t kTinyMaxCost = 550;         // about 1.6 us
inline constexpr std::uint32_t kHeavyMinCost = 350'000;    // about 1 ms
inline constexpr std::uint32_t kHeavyMaxCost = 7'000'000;  // about 20 ms

// The work of one task: starting from task.seed, task.cost rounds of add, xorshift, multiply,
// xorshift on 64 bits (the steps of the splitmix64 mixer), mod 2^64. run_task({0, s}) == s.
// Pure function: thread-safe, never throws, blocks nothing.
std::uint64_t run_task(const Task& task) noexcept;

// The baseline's loop over a run of tasks: results[i] = run_task(tasks[i]) for every i, in index
// order, on the calling thread. Call it on a chunk: subspans of the tasks and of the results with
// the same offset and length (views: nothing is copied). Writes results[0 .. size) only.
// Throws std::invalid_argument when the two spans differ in size (before writing anything).
// Thread-safe for calls whose `results` views do not overlap.
void run_tasks(std::span<const Task> tasks, std::span<std::uint64_t> results);

// The tiny workload: `count` tasks, each costing between kTinyMinCost and kTinyMaxCost rounds
// (about a microsecond on average), in no particular order. A pure function of (count, seed).
std::vector<Task> tiny_tasks(std::size_t count, std::uint64_t seed);

// The heavy workload: `count` tasks costing between kHeavyMinCost and kHeavyMaxCost rounds (about
// 1 to 20 ms), most of them cheap and a few much heavier (the cost grows with the square of a
// uniform draw), sorted by cost, cheapest first, as a job list sorted by size would be. The
// second half of the list holds about four fifths of the work. A pure function of (count, seed).
std::vector<Task> heavy_tasks(std::size_t count, std::uint64_t seed);

// The baseline: every task's result, in order, computed by one loop (run_tasks over the whole
// list) on the calling thread. An empty list gives an empty vector.
// Throws only std::bad_alloc. Thread-safe: it shares nothing between calls; `tasks` is only read.
std::vector<std::uint64_t> map_tasks_sequential(std::span<const Task> tasks);

// The same results, computed by up to `workers` threads.
//
// Returns exactly map_tasks_sequential(tasks): one result per task, result i belonging to task i,
// for every size (an empty list gives an empty vector) and any number of workers, more workers
// than tasks included.
// Threads: at most min(workers, tasks.size()) threads of its own run at once during the call (the
// calling thread may work too, or wait), so none for an empty list. Blocks until every result is
// written and every thread it started has been joined: no thread outlives the call.
// Throws std::invalid_argument when `workers` is 0, std::system_error when a thread cannot be
// started, std::bad_alloc. Thread-safe: several threads may call it at once; `tasks` is only
// read, and must not change during the call.
std::vector<std::uint64_t> map_tasks(std::span<const Task> tasks, unsigned workers);

}  // namespace parlab
