// Given, do not modify: the API of exercise 1.3, process_pool, and its concurrency contract.
//
// Compute problem(n) (pool_protocol.hpp) for a list of numbers, each task in a worker PROCESS
// started from `worker_path` and spoken to over pipes in the parlab-pool/1 line protocol. The work
// is CPU-bound, so a pool of worker processes, one per core, finishes the list about that many
// times sooner than one worker does: each process runs on a core of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace parlab {

// Thrown when a worker process dies, or breaks the protocol, while it holds a task: a crash
// (SIGSEGV, abort, ...), an exit in the middle of the list, or an answer that is not
// "<index> <value>" for the task it was given. what() names the task as "task <index>" and says
// how the worker ended, e.g.
//   process_pool: task 7 (n = 5000007) failed: worker pid 4242 was killed by signal 6 (Aborted)
class WorkerError : public std::runtime_error {
 public:
  WorkerError(std::size_t task, const std::string& what) : std::runtime_error(what), task_(task) {}

  // The index, in the caller's list, of the task the worker held when it failed.
  std::size_t task() const noexcept { return task_; }

 private:
  std::size_t task_;
};

// The baseline: ONE worker process, fed every task in turn (write a task, read its answer, write
// the next), then told to finish (its stdin is closed), reaped, and its exit status checked.
//
// Returns problem(numbers[i]) at index i, for every i: one result per number, in input order.
// An empty list returns an empty vector and starts no process.
// `worker_path` is the absolute path of a parlab-pool/1 worker program (the tests and the bench
// pass PARLAB_PROGRAM_PROCESS_POOL_WORKER, the path of the build's process_pool_worker).
// Blocks until every result has arrived and the worker has been reaped: no process outlives the
// call, whether it returns or throws.
// Throws std::system_error when the worker cannot be started (no such program, fork failed);
// std::runtime_error when it is not a parlab-pool/1 worker (its first line is not the ready line
// this kit expects) or when it exits with a nonzero status after its last task; WorkerError when
// it fails while holding a task.
// Thread-safe: it shares nothing between calls, so several threads may call it at once.
std::vector<std::uint64_t> process_pool_sequential(const std::vector<std::uint64_t>& numbers,
                                                   const std::string& worker_path);

// The same list, spread over up to `workers` worker processes that run at the same time.
//
// Returns exactly what process_pool_sequential(numbers, worker_path) returns: problem(numbers[i])
// at index i, in input order, a number listed twice computed twice. Starts at most
// min(workers, numbers.size()) processes, and none for an empty list. Blocks until every result
// has arrived and every process it started has exited and been reaped: no process (and no thread)
// outlives the call. However much the workers write, the call never deadlocks on a full pipe.
// Throws std::invalid_argument when `workers` is 0; otherwise what process_pool_sequential throws,
// in the same cases. When a worker fails while holding a task, the call stops the other workers,
// reaps every one of them, and throws WorkerError naming that task (if several fail at once, any
// one of the failed tasks).
// Thread-safe: several threads may call it at once.
std::vector<std::uint64_t> process_pool(const std::vector<std::uint64_t>& numbers, unsigned workers,
                                        const std::string& worker_path);

}  // namespace parlab
