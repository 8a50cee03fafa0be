// Student file: exercise 1.3, process_pool, the worker program (one process of the pool). Reference
// solution: the starter's worker as shipped; the protocol and its hooks are in pool_protocol.hpp.
//
// Started by the parent with no arguments. Runs its initializer once, announces itself with the
// ready line, then answers one task per line of stdin until end of input.
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "pool_protocol.hpp"

namespace {

namespace pool = parlab::pool;

// The per-process initializer: the work a worker does once, at start-up, rather than once per
// task, like the initializer of Python's multiprocessing.Pool. Processes share no memory, so
// whatever state the tasks need (the lecture's requests.Session; a database connection, a loaded
// model, a table) is built here, once in every worker. Ours reads the worker's configuration
// (the test hooks), sets up fast line I/O, and ends with the ready line, which tells the parent
// that this process is up, is a parlab-pool/1 worker, and computes the same problem() it does.
pool::WorkerConfig initialize() {
  pool::WorkerConfig config = pool::read_worker_config();
  // Lines go through iostreams alone, so their buffers need not follow C stdio's; answers are
  // flushed one by one below, not by tying std::cin to std::cout.
  std::ios::sync_with_stdio(false);
  std::cin.tie(nullptr);
  std::cout << pool::ready_line() << '\n' << std::flush;
  return config;
}

}  // namespace

int main() {
  try {
    const pool::WorkerConfig config = initialize();
    std::string line;
    while (std::getline(std::cin, line)) {
      const std::optional<pool::Task> task = pool::parse_task(line);
      if (!task) {
        std::cerr << "process_pool_worker: not a task: '" << line << "'\n";
        return 2;
      }
      if (config.crash_on == task->n) pool::crash_on_purpose(*task);
      const pool::Result result{task->index, pool::problem(task->n)};
      // Flushed at once: the parent may be waiting for exactly this answer.
      std::cout << pool::format_result(result) << '\n' << std::flush;
      if (!std::cout) return 1;  // the parent stopped reading: nobody wants the rest
    }
    return config.exit_code;
  } catch (const std::exception& e) {
    std::cerr << "process_pool_worker: " << e.what() << '\n';
    return 2;
  }
}
