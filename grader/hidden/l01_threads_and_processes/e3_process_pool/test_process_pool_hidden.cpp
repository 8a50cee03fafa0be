// Test: exercise 1.3 process_pool, hidden tests run by the grader.
//
// Each case checks process_pool() against problem() computed in this process, and adds what a
// result cannot show: how many worker processes ran at once, and that none is left behind (still
// running, or a zombie nobody reaped) after a call returns or throws. Processes are found by
// scanning /proc: every call runs with its own PARLAB_POOL_TEST_TAG in the environment, which its
// workers inherit, so a worker of this call is a process running the worker program with that tag.
// A test that runs past its PARLAB_WITHIN deadline means the pool stopped making progress: two
// processes each blocked on a full pipe, or a wait for a worker that never ends.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "deadline.hpp"
#include "pool_protocol.hpp"
#include "proc_text.hpp"
#include "process_pool.hpp"
#include "process_pool_testing.hpp"

namespace {

using parlab::testing::expect_same;
using parlab::testing::expected_for;
using parlab::testing::ScopedEnv;

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kWorker = PARLAB_PROGRAM_PROCESS_POOL_WORKER;
constexpr const char* kTagVariable = "PARLAB_POOL_TEST_TAG";

constexpr const char* kHang =
    "process_pool never returned: a worker never answered, a pipe filled up on both sides, or a "
    "worker was never told to finish";
constexpr const char* kCrashHang =
    "process_pool never returned after a worker crashed: a thread still waits for an answer from "
    "a dead worker, or for a worker nobody stopped";

// A fresh tag in the environment for the workers of the calls made while it lives.
class Tag {
 public:
  Tag() : value_(std::to_string(::getpid()) + "-" + std::to_string(++counter_)), env_(kTagVariable, value_) {}
  std::string entry() const { return std::string(kTagVariable) + "=" + value_; }

 private:
  static inline int counter_ = 0;
  std::string value_;
  ScopedEnv env_;
};

bool is_pid(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Live processes running the worker program with `tag_entry` in their environment. A zombie has
// neither an exe nor an environment any more: children_of_this_process() finds those.
std::vector<pid_t> tagged_workers(const std::string& tag_entry) {
  static const fs::path worker = fs::canonical(kWorker);
  std::vector<pid_t> found;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_pid(name) || std::stol(name) == ::getpid()) continue;
    std::error_code link_error;
    const fs::path exe = fs::read_symlink(entry.path() / "exe", link_error);
    if (link_error || exe != worker) continue;
    const std::string environ = parlab::testing::proc_text(entry.path() / "environ");
    std::size_t start = 0;
    while (start < environ.size()) {
      std::size_t end = environ.find('\0', start);
      if (end == std::string::npos) end = environ.size();
      if (environ.compare(start, end - start, tag_entry) == 0) {
        found.push_back(static_cast<pid_t>(std::stol(name)));
        break;
      }
      start = end + 1;
    }
  }
  return found;
}

// Every child of this test process, in any state, as "pid 123 (name) state Z".
std::vector<std::string> children_of_this_process() {
  std::vector<std::string> children;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_pid(name)) continue;
    const std::string stat = parlab::testing::proc_text(entry.path() / "stat");  // "pid (comm) state ppid ..."
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long parent = 0;
    rest >> state >> parent;
    if (parent == ::getpid()) {
      children.push_back("pid " + name + " " + stat.substr(stat.find('('), close - stat.find('(') + 1) + " state " +
                         state);
    }
  }
  return children;
}

void expect_nothing_left(const Tag& tag) {
  const auto workers = tagged_workers(tag.entry());
  EXPECT_TRUE(workers.empty()) << workers.size() << " worker process(es) still running after the "
                               << "call, e.g. pid " << (workers.empty() ? 0 : workers.front())
                               << ": every worker must have exited before process_pool returns or throws";
  const auto children = children_of_this_process();
  EXPECT_TRUE(children.empty()) << "a child of the test process is left after the call: "
                                << (children.empty() ? "" : children.front())
                                << " (state Z: a zombie, a worker that exited but was never reaped)";
}

void expect_right_answers(const std::vector<std::uint64_t>& numbers, std::initializer_list<unsigned> worker_counts) {
  const auto expected = expected_for(numbers);
  for (unsigned workers : worker_counts) {
    SCOPED_TRACE("workers = " + std::to_string(workers));
    const Tag tag;
    expect_same(parlab::process_pool(numbers, workers, kWorker), expected);
    expect_nothing_left(tag);
  }
}

// Runs process_pool with the poison number at the listed indices and expects a WorkerError naming
// one of them, and nothing left behind.
void expect_crash_reported(std::vector<std::uint64_t> numbers, std::initializer_list<std::size_t> poisoned,
                           unsigned workers) {
  SCOPED_TRACE("workers = " + std::to_string(workers));
  constexpr std::uint64_t kPoison = 777'777;
  for (std::size_t i : poisoned) numbers[i] = kPoison;
  const ScopedEnv crash(parlab::pool::kCrashOnVariable, std::to_string(kPoison));
  const Tag tag;
  try {
    parlab::process_pool(numbers, workers, kWorker);
    ADD_FAILURE() << "a worker crashed, yet process_pool returned";
  } catch (const parlab::WorkerError& e) {
    const std::string what = e.what();
    EXPECT_NE(std::find(poisoned.begin(), poisoned.end(), e.task()), poisoned.end())
        << "the error names task " << e.task() << ", which did not crash: " << what;
    EXPECT_NE(what.find("task " + std::to_string(e.task())), std::string::npos)
        << "the message must name the task: " << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected parlab::WorkerError, got: " << e.what();
  }
  expect_nothing_left(tag);
}

std::vector<std::uint64_t> numbers_from(std::uint64_t base, std::size_t count) {
  std::vector<std::uint64_t> numbers;
  for (std::size_t i = 0; i < count; ++i) numbers.push_back(base + i);
  return numbers;
}

TEST(ProcessPoolHidden, EmptyList) {
  PARLAB_WITHIN(10s, kHang) {
    for (unsigned workers : {1u, 2u, 64u}) {
      const Tag tag;
      EXPECT_TRUE(parlab::process_pool({}, workers, kWorker).empty()) << "workers = " << workers;
      EXPECT_TRUE(parlab::process_pool({}, workers, "/nonexistent/parlab/worker").empty())
          << "an empty list must start no process";
      expect_nothing_left(tag);
    }
  };
}

TEST(ProcessPoolHidden, OneTask) {
  PARLAB_WITHIN(20s, kHang) { expect_right_answers({5'000'000}, {1, 2, 8}); };
}

TEST(ProcessPoolHidden, OneWorker) {
  PARLAB_WITHIN(30s, kHang) { expect_right_answers(numbers_from(1'000'000, 10), {1}); };
}

TEST(ProcessPoolHidden, MoreWorkersThanTasks) {
  PARLAB_WITHIN(30s, kHang) { expect_right_answers({12, 1'000'000, 0, 77, 500'000}, {6, 32, 200}); };
}

TEST(ProcessPoolHidden, ZeroWorkersIsRejected) {
  EXPECT_THROW(parlab::process_pool({}, 0, kWorker), std::invalid_argument);
  EXPECT_THROW(parlab::process_pool({1, 2, 3}, 0, kWorker), std::invalid_argument);
}

TEST(ProcessPoolHidden, NearFiveMillionLikeTheBaseline) {
  PARLAB_WITHIN(45s, kHang) {
    const auto numbers = numbers_from(5'000'000, 8);
    const auto baseline = parlab::process_pool_sequential(numbers, kWorker);
    expect_same(baseline, expected_for(numbers));
    for (unsigned workers : {2u, 3u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      expect_same(parlab::process_pool(numbers, workers, kWorker), baseline);
    }
  };
}

TEST(ProcessPoolHidden, NeverMoreProcessesThanWorkersOrTasks) {
  PARLAB_WITHIN(45s, kHang) {
    struct Case {
      std::size_t tasks;
      unsigned workers;
    };
    for (const Case c : {Case{3, 16}, Case{8, 2}}) {
      SCOPED_TRACE("tasks = " + std::to_string(c.tasks) + ", workers = " + std::to_string(c.workers));
      const auto numbers = numbers_from(20'000'000, c.tasks);  // ~50 ms each: long enough to see
      const Tag tag;
      std::atomic<bool> done{false};
      std::vector<std::uint64_t> results;
      std::size_t most = 0;
      {
        std::jthread call([&] {
          try {
            results = parlab::process_pool(numbers, c.workers, kWorker);
          } catch (const std::exception& e) {
            ADD_FAILURE() << "process_pool threw: " << e.what();
          }
          done.store(true);
        });
        while (!done.load()) {
          most = std::max(most, tagged_workers(tag.entry()).size());
          std::this_thread::sleep_for(1ms);
        }
      }
      expect_same(results, expected_for(numbers));
      const std::size_t allowed = std::min<std::size_t>(c.tasks, c.workers);
      EXPECT_LE(most, allowed) << "saw " << most << " worker processes at once: at most "
                               << "min(workers, tasks) = " << allowed << " may run";
      EXPECT_GE(most, 1u) << "no worker process was seen during the call";
      expect_nothing_left(tag);
    }
  };
}

TEST(ProcessPoolHidden, MoreOutputThanAPipeHolds) {
  // 30,000 tasks: about 270 KB of tasks and 700 KB of answers, each well over a pipe's 64 KiB.
  // A pool that writes all of a worker's tasks before reading any answer blocks on a full stdin
  // pipe while the worker blocks on a full stdout pipe: a deadlock, reported by the deadline.
  PARLAB_WITHIN(45s,
                "the pool and a worker each wait for the other to read a full "
                "pipe (tasks written without reading answers meanwhile)") {
    std::vector<std::uint64_t> numbers;
    for (std::uint64_t i = 0; i < 30'000; ++i) numbers.push_back(i % 64);
    expect_right_answers(numbers, {1, 2});
  };
}

TEST(ProcessPoolHidden, CrashMidRun) {
  PARLAB_WITHIN(45s, kCrashHang) {
    for (unsigned workers : {1u, 2u, 4u}) expect_crash_reported(numbers_from(200'000, 40), {17}, workers);
  };
}

TEST(ProcessPoolHidden, CrashOnTheFirstTask) {
  PARLAB_WITHIN(30s, kCrashHang) {
    for (unsigned workers : {1u, 3u}) expect_crash_reported(numbers_from(200'000, 12), {0}, workers);
  };
}

TEST(ProcessPoolHidden, CrashOnTheLastTask) {
  PARLAB_WITHIN(30s, kCrashHang) {
    for (unsigned workers : {1u, 3u}) expect_crash_reported(numbers_from(200'000, 12), {11}, workers);
  };
}

TEST(ProcessPoolHidden, CrashOnEveryWorkerAtOnce) {
  PARLAB_WITHIN(30s, kCrashHang) {
    expect_crash_reported(numbers_from(200'000, 10), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 4);
    expect_crash_reported(numbers_from(200'000, 30), {5, 20}, 2);
  };
}

TEST(ProcessPoolHidden, CrashWhileOthersRunLongTasks) {
  // The other workers hold tasks of about 0.1 s when one crashes: the call must still end soon,
  // with every worker reaped.
  PARLAB_WITHIN(45s, kCrashHang) { expect_crash_reported(numbers_from(40'000'000, 12), {4}, 3); };
}

TEST(ProcessPoolHidden, ACrashDoesNotSpoilTheNextCall) {
  PARLAB_WITHIN(30s, kCrashHang) {
    expect_crash_reported(numbers_from(200'000, 8), {2}, 2);
    expect_right_answers(numbers_from(200'000, 8), {2});
  };
}

TEST(ProcessPoolHidden, ExitCodeIsChecked) {
  PARLAB_WITHIN(30s, kHang) {
    // Every answer is right, but each worker exits with code 3 at the end: the call must fail.
    const ScopedEnv exit_code(parlab::pool::kExitCodeVariable, "3");
    for (unsigned workers : {1u, 2u}) {
      SCOPED_TRACE("workers = " + std::to_string(workers));
      const Tag tag;
      EXPECT_THROW(parlab::process_pool(numbers_from(1'000, 6), workers, kWorker), std::runtime_error)
          << "a worker that exits with code 3 must make the call throw";
      expect_nothing_left(tag);
    }
  };
}

TEST(ProcessPoolHidden, NotAWorkerIsRefused) {
  PARLAB_WITHIN(30s, "process_pool never returned when the program is not a worker") {
    // /bin/echo writes an empty line, /bin/true nothing: neither is a parlab-pool/1 worker.
    for (const char* program : {"/bin/echo", "/bin/true", "/bin/false"}) {
      SCOPED_TRACE(program);
      EXPECT_THROW(parlab::process_pool(numbers_from(10, 4), 2, program), std::runtime_error);
      EXPECT_TRUE(children_of_this_process().empty()) << "a child was left behind";
    }
  };
}

TEST(ProcessPoolHidden, MissingWorkerProgram) {
  PARLAB_WITHIN(20s, kHang) {
    for (unsigned workers : {1u, 3u}) {
      EXPECT_THROW(parlab::process_pool({1, 2, 3}, workers, "/nonexistent/parlab/worker"), std::system_error);
      EXPECT_TRUE(children_of_this_process().empty()) << "a child was left behind";
    }
  };
}

TEST(ProcessPoolHidden, CallsFromSeveralThreadsAtOnce) {
  // Workers started at the same time by different threads must not inherit each other's pipes:
  // a leaked stdin pipe keeps a worker from ever seeing end of input.
  PARLAB_WITHIN(45s, kHang) {
    const auto numbers = numbers_from(300'000, 12);
    const auto expected = expected_for(numbers);
    const Tag tag;
    std::vector<std::vector<std::uint64_t>> got(3);
    std::vector<std::string> errors(got.size());
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < got.size(); ++c) {
        callers.emplace_back([&, c] {
          try {
            got[c] = parlab::process_pool(numbers, 3, kWorker);
          } catch (const std::exception& e) {
            errors[c] = e.what();
          }
        });
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c) {
      SCOPED_TRACE("caller " + std::to_string(c));
      EXPECT_EQ(errors[c], "") << "process_pool threw";
      expect_same(got[c], expected);
    }
    expect_nothing_left(tag);
  };
}

TEST(ProcessPoolHidden, RepeatedCallsLeaveNothingBehind) {
  PARLAB_WITHIN(45s, kHang) {
    const auto numbers = numbers_from(50'000, 9);
    const auto expected = expected_for(numbers);
    for (int round = 0; round < 10; ++round) {
      SCOPED_TRACE("round " + std::to_string(round));
      const Tag tag;
      expect_same(parlab::process_pool(numbers, 3, kWorker), expected);
      expect_nothing_left(tag);
    }
  };
}

}  // namespace
