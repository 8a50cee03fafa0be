// Given, do not modify: the work of exercise 1.3 and the line protocol between a pool and its workers.
//
// Both sides include this header: the worker program (process_pool_worker.cpp) computes
// problem(n) and writes the lines below; the parent (the baseline and your pool) writes tasks and
// reads results in the same formats. It is header-only and needs nothing but the standard
// library, so the worker stays a small program that starts in a few milliseconds.
//
// The protocol, version parlab-pool/1. Every message is one line of text ending in '\n'.
//   1. The parent starts the worker with no arguments; stdin and stdout are pipes to the parent,
//      stderr is the parent's own (for diagnostics only).
//   2. The worker's initializer runs once, then the worker writes its ready line
//          ready parlab-pool/1 <check>
//      where <check> is check_value(), computed by the worker's own problem(). The parent
//      compares it with its own: a program that is not a worker, or a worker whose problem()
//      differs from the parent's, is refused before it is given any task.
//   3. The parent writes tasks, one per line:   <index> <n>
//      <index> is the task's position in the caller's list, <n> the input of problem().
//   4. The worker answers every task, in the order received, one line each:   <index> <problem(n)>
//      and flushes each answer at once, so the parent can read it while the worker goes on.
//   5. At end of input (the parent closed the worker's stdin) the worker exits with code 0.
//      A line it cannot parse makes it write a message on stderr and exit with code 2.
// All numbers are unsigned decimal, fields separated by exactly one space.
//
// Test hooks (part of the protocol: the tests use them, so keep them in your worker). The worker's
// initializer reads two environment variables once, at start-up:
//   PARLAB_POOL_CRASH_ON=<n>     the worker crashes (abort, no core file) when it receives a task
//                                whose input is n, before it writes anything for that task
//   PARLAB_POOL_EXIT_CODE=<k>    at end of input the worker exits with code k instead of 0
// A child inherits its parent's environment, so a test sets them before calling the pool.
#pragma once

#include <sys/resource.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace parlab::pool {

// ---- The work ----

// One step of the work: the 64-bit finalizer of MurmurHash3 ("fmix64"). Every output bit depends
// on every input bit, so no compiler can replace a sum of steps by a formula: the loop in
// problem() really runs, at 1-3 ns per step on one core here (more when the machine is busy).
constexpr std::uint64_t mix(std::uint64_t i) noexcept {
  i ^= i >> 33;
  i *= 0xff51afd7ed558ccdULL;
  i ^= i >> 33;
  i *= 0xc4ceb9fe1a85ec53ULL;
  i ^= i >> 33;
  return i;
}

// The lecture's CPU-bound problem(n): the sum of mix(i) for every i in [0, n), modulo 2^64
// (unsigned arithmetic wraps). With n near five million one call takes 6-15 ms on one core.
// A pure function: the same n gives the same sum in every process. Thread-safe.
inline std::uint64_t problem(std::uint64_t n) noexcept {
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < n; ++i) sum += mix(i);
  return sum;
}

// ---- The lines ----

inline constexpr std::string_view kProtocol = "parlab-pool/1";
inline constexpr std::uint64_t kCheckLength = 1000;

// What a worker proves with its ready line: its problem() agrees with the parent's.
inline std::uint64_t check_value() noexcept { return problem(kCheckLength); }

// "ready parlab-pool/1 <check>", without the newline.
inline std::string ready_line() { return "ready " + std::string(kProtocol) + " " + std::to_string(check_value()); }

struct Task {
  std::size_t index = 0;  // position in the caller's list
  std::uint64_t n = 0;    // the input of problem()
};

struct Result {
  std::size_t index = 0;    // the index of the task this answers
  std::uint64_t value = 0;  // problem(n) of that task
};

namespace detail {

// Two unsigned decimal fields separated by one space, and nothing else.
inline bool parse_pair(std::string_view line, std::uint64_t& first, std::uint64_t& second) {
  const char* const end = line.data() + line.size();
  const auto [after_first, first_error] = std::from_chars(line.data(), end, first);
  if (first_error != std::errc{} || after_first == end || *after_first != ' ') return false;
  const char* const second_begin = after_first + 1;
  if (second_begin == end || *second_begin < '0' || *second_begin > '9') return false;
  const auto [after_second, second_error] = std::from_chars(second_begin, end, second);
  return second_error == std::errc{} && after_second == end;
}

inline std::string format_pair(std::uint64_t first, std::uint64_t second) {
  return std::to_string(first) + " " + std::to_string(second);
}

}  // namespace detail

// "<index> <n>", without the newline.
inline std::string format_task(const Task& task) { return detail::format_pair(task.index, task.n); }

// The task on `line` (without its newline), or nothing when the line is malformed.
inline std::optional<Task> parse_task(std::string_view line) {
  std::uint64_t index = 0;
  std::uint64_t n = 0;
  if (!detail::parse_pair(line, index, n)) return std::nullopt;
  return Task{static_cast<std::size_t>(index), n};
}

// "<index> <value>", without the newline.
inline std::string format_result(const Result& result) { return detail::format_pair(result.index, result.value); }

// The result on `line` (without its newline), or nothing when the line is malformed.
inline std::optional<Result> parse_result(std::string_view line) {
  std::uint64_t index = 0;
  std::uint64_t value = 0;
  if (!detail::parse_pair(line, index, value)) return std::nullopt;
  return Result{static_cast<std::size_t>(index), value};
}

// ---- The test hooks ----

inline constexpr const char* kCrashOnVariable = "PARLAB_POOL_CRASH_ON";
inline constexpr const char* kExitCodeVariable = "PARLAB_POOL_EXIT_CODE";

// A worker's configuration, read once by its initializer.
struct WorkerConfig {
  std::optional<std::uint64_t> crash_on;  // PARLAB_POOL_CRASH_ON: crash on a task with this n
  int exit_code = 0;                      // PARLAB_POOL_EXIT_CODE: the exit code at end of input
};

// Reads the hooks from the environment. An unset or empty variable keeps the default; a value
// that is not an unsigned decimal number (for the exit code: 0-255) throws std::invalid_argument,
// so a mistyped test fails loudly instead of silently testing nothing.
inline WorkerConfig read_worker_config() {
  WorkerConfig config;
  const auto number = [](const char* name, std::uint64_t limit) -> std::optional<std::uint64_t> {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return std::nullopt;
    const std::string_view view(text);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
    if (error != std::errc{} || end != view.data() + view.size() || value > limit) {
      throw std::invalid_argument(std::string(name) + "=" + text + " is not a number in range");
    }
    return value;
  };
  config.crash_on = number(kCrashOnVariable, UINT64_MAX);
  config.exit_code = static_cast<int>(number(kExitCodeVariable, 255).value_or(0));
  return config;
}

// The PARLAB_POOL_CRASH_ON hook: says why on stderr, then dies of SIGABRT the way a real bug
// would, but without writing a core file into the current folder.
[[noreturn]] inline void crash_on_purpose(const Task& task) {
  std::fprintf(stderr, "process_pool_worker: crashing on purpose on task %zu (n = %llu), as %s asks\n", task.index,
               static_cast<unsigned long long>(task.n), kCrashOnVariable);
  std::fflush(stderr);
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  std::abort();
}

}  // namespace parlab::pool
