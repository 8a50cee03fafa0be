// Student file: exercise 1.3, process_pool. Reference solution: one thread per worker process.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "process_pool.hpp"
#include "worker_process.hpp"

namespace parlab {

std::vector<std::uint64_t> process_pool(const std::vector<std::uint64_t>& numbers, unsigned workers,
                                        const std::string& worker_path) {
  if (workers == 0) throw std::invalid_argument("process_pool: workers must be at least 1");
  if (numbers.empty()) return {};  // no task, no process

  // Start every process before waiting for any: their start-ups (fork, exec, initializer) run
  // at the same time. If one cannot start, the vector's destructor kills and reaps the others.
  const std::size_t process_count = std::min<std::size_t>(workers, numbers.size());
  std::vector<pool::WorkerProcess> processes;
  processes.reserve(process_count);
  for (std::size_t w = 0; w < process_count; ++w) processes.emplace_back(worker_path);
  for (pool::WorkerProcess& process : processes) pool::await_ready(process);

  // Each slot is written by exactly one thread (the one that claimed its index) and read here
  // only after every thread has been joined, so the slots need no lock.
  std::vector<std::uint64_t> results(numbers.size());

  // The next index nobody has claimed. Relaxed is enough: fetch_add is one atomic
  // read-modify-write, so each index goes to exactly one thread whatever the order, and nothing
  // is published through the counter (results reach this thread through the joins).
  std::atomic<std::size_t> next{0};

  // Set by the first thread whose worker fails, read by the others before they claim another
  // task. Relaxed is enough: it only asks them to stop early; the error itself travels under
  // error_mutex, and stopping one task later than possible is harmless.
  std::atomic<bool> stop{false};

  std::mutex error_mutex;          // guards first_error
  std::exception_ptr first_error;  // the first failure of any thread; rethrown after the joins

  {
    std::vector<std::jthread> threads;
    threads.reserve(process_count);
    for (pool::WorkerProcess& process : processes) {
      // Each thread alone talks to its own process: a WorkerProcess is never shared. It writes
      // one task and reads its answer before the next, so its two pipes never fill up, however
      // many tasks there are; the other workers compute meanwhile, each in its own process.
      threads.emplace_back([&numbers, &results, &next, &stop, &error_mutex, &first_error, &process] {
        try {
          while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= numbers.size()) break;
            results[i] = pool::run_task(process, i, numbers[i]);
          }
          if (stop.load(std::memory_order_relaxed)) {
            process.kill();  // another worker failed: the call throws, no need to finish nicely
          } else {
            pool::finish(process);  // end of input, reap, check the exit code
          }
        } catch (...) {
          // run_task and finish have reaped this worker before throwing.
          {
            const std::lock_guard<std::mutex> lock(error_mutex);
            if (!first_error) first_error = std::current_exception();
          }
          stop.store(true, std::memory_order_relaxed);
        }
      });
    }
  }  // every std::jthread joins here, also when emplace_back threw: no thread outlives the call

  // Every process has been finished, killed or reaped by its thread; the vector's destructor
  // would kill and reap any that was not (only possible if a thread could not be started).
  // first_error was last written before a join, so reading it here needs no lock.
  if (first_error) std::rethrow_exception(first_error);
  return results;
}

}  // namespace parlab
