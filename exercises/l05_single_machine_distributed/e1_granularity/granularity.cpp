// Student file: exercise 5.1, granularity. Make map_tasks() use `workers` threads on both workloads.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "granularity.hpp"

namespace parlab {

std::vector<std::uint64_t> map_tasks(std::span<const Task> tasks, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("map_tasks: workers must be at least 1");

  // TODO(student): run the tasks on `workers` threads instead of this one loop, so that both
  // workloads beat it: a million tasks of about a microsecond each, and a hundred tasks of 1 to
  // 20 ms sorted cheapest first.
  // Goal: every core busy running tasks until the last one is done, and the results equal to
  // map_tasks_sequential(tasks), result i in slot i.
  // Edge cases: an empty list (start no thread, return an empty vector), a single task, fewer
  // tasks than workers, tasks of cost 0.
  // Hint: a thread (or a std::async future) per task costs tens of microseconds, far more than a
  // tiny task; hand out chunks of consecutive tasks instead, and pick their size by the work in
  // them (Task::cost), not by their count: a chunk of a thousand tiny tasks is about a millisecond,
  // a chunk of one heavy task can be twenty. Hand the chunks out as the threads become free (a
  // std::atomic<std::size_t> next-chunk counter), not all up front. Pre-size the results and let
  // each chunk write its own slots with run_tasks(tasks.subspan(b, n), results_span.subspan(b, n)).
  // Start at most `workers` threads; std::jthread joins itself when it goes out of scope. You may
  // add helper functions to this file.
  std::vector<std::uint64_t> results(tasks.size());
  run_tasks(tasks, results);
  return results;
}

}  // namespace parlab
