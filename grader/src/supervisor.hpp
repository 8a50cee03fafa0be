// Grader: run one child process under supervision, and get back everything it did.
//
// Every build, test and bench run of a submission goes through run_child(). The child gets a
// process group of its own, stdin from /dev/null, stdout and stderr in files, no core dumps,
// a cap on its output, a memory limit, a cap on its tasks (where the machine has a pids
// cgroup), a wall-clock limit and a scratch working directory.
// When it exits, or its time is up, or the grader is interrupted, its whole group is killed,
// and any process it orphaned is killed and reaped too: nothing is left behind.
//
// Boost.Process 1.74 has several broken calls (../shared/STACK.md): this file uses it only to
// spawn; waiting, killing and accounting are done with pidfd_open, poll, killpg and wait4.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parlab::grader {

struct ChildSpec {
  std::filesystem::path program;  // absolute path
  std::vector<std::string> args;
  std::filesystem::path work_dir;          // created if missing; stdout/stderr land here
  std::map<std::string, std::string> env;  // added to the grader's own environment
  std::chrono::milliseconds timeout{60'000};
  std::uint64_t memory_bytes = 2ull << 30;   // 0: no limit
  bool memory_by_rss = false;                // watch RSS instead of RLIMIT_AS (sanitizers
                                             // reserve terabytes of address space)
  std::uint64_t output_bytes = 64ull << 20;  // per file the child writes (RLIMIT_FSIZE)
  // Threads and processes of the child's whole tree at once (a cgroup pids limit, task_cap.hpp,
  // where the machine allows one; else RLIMIT_NPROC; 0: no cap). MPI's ranks and TSan's helpers
  // fit well under it.
  unsigned max_tasks = 1024;
  // The child is the submission's code (a test, a bench), not the compiler: where root has no
  // pids cgroup it runs as an unprivileged user under RLIMIT_NPROC (unprivileged_user.hpp).
  bool runs_submission = false;
  // May run beside other such children (a batch's graders, each a subreaper of its own tree);
  // an ordinary child waits until it is alone, which is what lets the supervisor reap its orphans.
  bool side_by_side = false;
  // On timeout: SIGTERM to the group, then up to this long for it to go, then SIGKILL. The
  // grace lets a launcher in the group (mpirun, exercise 4.3) stop the processes it started
  // in groups of their own, and remove its shared-memory files.
  std::chrono::milliseconds term_grace{3'000};
  bool count_threads = false;  // sample the child's thread count every few ms
  // On timeout, before the signals: where the child's threads are (gdb), into ChildResult::stacks.
  bool stacks_on_timeout = false;
  // Called with the child's pid right after it is spawned, before the wait, on the calling
  // thread (to watch it from outside: grader trace). Keep it short; it may not call run_child.
  std::function<void(int pid)> on_started;
};

// max_tasks for a child that is itself a grader (a batch's, a test's). It caps its own children,
// each at the default, inside this cap; this one is against a runaway only, and far above theirs,
// so that a submission's fork storm, stopped at its own cap, is not taken for the grader's.
constexpr unsigned kTasksOfAGrader = 16384;

struct ChildResult {
  enum class End { exited, signaled, timed_out, memory_exceeded, output_exceeded, tasks_exceeded, spawn_failed };
  End end = End::spawn_failed;
  int pid = 0;         // also the id of the child's process group
  int exit_code = -1;  // when exited
  int signal = 0;      // when signaled
  std::chrono::duration<double> wall{0};
  double cpu_seconds = 0;  // user + system of the child and the descendants it waited for
  std::uint64_t max_rss_bytes = 0;
  unsigned peak_threads = 0;    // most threads the child itself had at one sample (count_threads);
                                // a thread that lives under the sampling interval can be missed
  unsigned peak_processes = 0;  // most live processes of the child's tree (it and its descendants)
                                // at one sample (count_threads): a pool's workers, MPI's ranks
  std::filesystem::path stdout_path, stderr_path;
  bool task_cap_hit = false;  // a fork or a thread was refused: the tree reached max_tasks (and,
                              // if it had not ended by itself, was stopped: tasks_exceeded)
  std::string run_as;         // the unprivileged user it ran as, or empty (unprivileged_user.hpp)
  std::string spawn_error;    // when spawn_failed
  std::string stacks;         // when timed out with stacks_on_timeout: a line per thread in its own
                              // files (stack_report.hpp); empty when gdb is missing or saw none

  bool ok() const { return end == End::exited && exit_code == 0; }
  std::string stdout_text(std::size_t limit = 1 << 20) const;
  std::string stderr_text(std::size_t limit = 1 << 20) const;
  std::string describe() const;  // "exit 1", "killed by SIGSEGV", "timed out after 30 s", ...
};

// Runs the child to its end. Children run one at a time (a process-wide lock), which is what
// lets the supervisor reap every orphan without stealing another child's exit status; only
// side_by_side children run together. Thread-safe.
ChildResult run_child(const ChildSpec& spec);

// Once, at start-up: makes the grader a child subreaper (orphans of a submission come to us,
// not to init) and starts the thread that turns SIGINT/SIGTERM into "kill the running child's
// group, then exit 130". Call before starting any other thread.
void install_supervision();

// Runs `cleanup` on an interrupt, after the children are stopped and before the grader exits
// (watch mode puts the terminal back). One at a time: a later call replaces an earlier one.
void at_interrupt(void (*cleanup)());

// Why the last line of a describe()d result matters to a student, as one short sentence.
std::string explain(const ChildResult& result);

}  // namespace parlab::grader

namespace parlab::grader {

// A fresh, private folder under the system's temp dir, named <prefix>-<random>, for the
// working folders of a run's children. Throws std::runtime_error when it cannot be made.
std::filesystem::path make_scratch_dir(const std::string& prefix);

// The absolute path of a program on PATH, or empty. (Children are started by absolute path.)
std::filesystem::path find_program(const std::string& name);

}  // namespace parlab::grader
