// Harness: concurrency tests fail, they never hang.
//
//   PARLAB_WITHIN(5s, "workers never finished: a lost wake-up or a join that waits forever") {
//     ... test body ...
//   };
//
// runs the body on a helper thread and waits for it. If the deadline passes, it prints
// "deadlock detected: <meaning>", then where each thread of the program was stuck (read by gdb,
// when installed: stack_report.hpp), and ends the process (a hung thread cannot be cancelled),
// so the grader records the test as failed with those lines instead of a bare timeout.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "stack_report.hpp"

namespace parlab::testing {

inline void within(std::chrono::milliseconds deadline, const std::string& meaning, const std::function<void()>& body) {
  std::packaged_task<void()> task(body);
  auto done = task.get_future();
  std::thread runner(std::move(task));
  if (done.wait_for(deadline) == std::future_status::timeout) {
    std::fprintf(stderr, "deadlock detected after %lld ms: %s\n", static_cast<long long>(deadline.count()),
                 meaning.c_str());
    std::fflush(nullptr);
    const std::string where = describe_threads(parse_gdb_threads(gdb_stacks(::getpid(), std::chrono::seconds(20))));
    if (!where.empty()) std::fprintf(stderr, "where the threads were:\n%s", where.c_str());
    std::fflush(nullptr);
    std::_Exit(3);
  }
  runner.join();
  done.get();  // rethrows what the body threw
}

struct WithinTag {
  std::chrono::milliseconds deadline;
  std::string meaning;
  void operator=(const std::function<void()>& body) const { within(deadline, meaning, body); }
};

}  // namespace parlab::testing

#define PARLAB_WITHIN(deadline, meaning) \
  ::parlab::testing::WithinTag{std::chrono::duration_cast<std::chrono::milliseconds>(deadline), meaning} = [&]
