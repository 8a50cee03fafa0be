// Student file: exercise 1.3, process_pool. Spread the tasks over `workers` worker processes.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "process_pool.hpp"
#include "worker_process.hpp"

namespace parlab {

std::vector<std::uint64_t> process_pool(const std::vector<std::uint64_t>& numbers, unsigned workers,
                                        const std::string& worker_path) {
  if (workers == 0) throw std::invalid_argument("process_pool: workers must be at least 1");

  // TODO(student): run the tasks on min(workers, numbers.size()) worker processes at once
  // instead of this one worker.
  // Goal: every worker busy on a task of its own, each on a core, and the results in input
  // order, exactly as process_pool_sequential() returns them.
  // Edge cases: an empty list (start no process), more workers than numbers (start no more
  // processes than there are numbers), a worker that crashes on a task (stop the others, reap
  // every worker, and throw the WorkerError that names the task: run_task already builds it),
  // a worker that exits with a nonzero code at the end (finish() throws: pass that on too).
  // Hint: start every worker first, then await_ready() each one, so that their start-ups overlap.
  // Then give each worker a thread of its own (std::jthread) that takes the next index from a
  // std::atomic<std::size_t> counter and calls run_task() until the list runs out, then
  // finish(). A WorkerProcess must be used by one thread at a time. An exception must not escape
  // a thread: catch it there, keep the first one (std::exception_ptr, behind a mutex), tell the
  // other threads to stop, and rethrow it after every thread has been joined. Never write many
  // tasks before reading their answers from the same thread: both pipes fill and both processes
  // wait for each other forever. You may add helper functions to this file.
  std::vector<std::uint64_t> results;
  if (numbers.empty()) return results;
  results.reserve(numbers.size());
  pool::WorkerProcess worker(worker_path);
  pool::await_ready(worker);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    results.push_back(pool::run_task(worker, i, numbers[i]));
  }
  pool::finish(worker);
  return results;
}

}  // namespace parlab
