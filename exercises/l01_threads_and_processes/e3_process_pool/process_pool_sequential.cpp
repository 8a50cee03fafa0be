// Given, do not modify: the sequential baseline of exercise 1.3, the thing to beat.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "process_pool.hpp"
#include "worker_process.hpp"

namespace parlab {

std::vector<std::uint64_t> process_pool_sequential(const std::vector<std::uint64_t>& numbers,
                                                   const std::string& worker_path) {
  std::vector<std::uint64_t> results;
  if (numbers.empty()) return results;  // no task, no process
  results.reserve(numbers.size());

  // One worker for the whole list: it starts once, runs its initializer once, and then serves
  // every task. Its start-up is paid once, but each task waits for the one before it.
  pool::WorkerProcess worker(worker_path);
  pool::await_ready(worker);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    // One task in flight at a time: the worker's answer is read before the next task is written,
    // so neither pipe ever holds more than one line and neither side can block the other.
    results.push_back(pool::run_task(worker, i, numbers[i]));
  }
  pool::finish(worker);  // end of input, then reap it and check its exit status
  return results;
}

}  // namespace parlab
