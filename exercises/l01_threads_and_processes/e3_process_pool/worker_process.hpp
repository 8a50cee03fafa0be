// Given, do not modify: one worker process and its two pipes, and the parent's side of the
// parlab-pool/1 protocol (pool_protocol.hpp), for the baseline and your pool alike.
//
// WorkerProcess starts a worker with Boost.Process in the one way this kit has verified on
// Boost 1.74 (see the README, "Boost.Process: what not to use"), and from then on speaks to it with
// plain POSIX calls: write(2) and read(2) on its pipes, waitpid(2) to reap it. Its definitions
// live in worker_process.cpp, so only that one file pays for Boost.Process's heavy headers.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace parlab::pool {

// How a process ended, decoded from waitpid's status.
struct ExitStatus {
  bool signaled = false;  // true: killed by a signal (a crash, or SIGKILL); false: it exited
  int code = 0;           // the exit code, when it exited
  int signal = 0;         // the signal number, when it was killed

  bool success() const noexcept { return !signaled && code == 0; }
  // "exited with code 3", "was killed by signal 6 (Aborted)".
  std::string describe() const;
};

// One running worker process: its pid, a pipe to its stdin and a pipe from its stdout. Its stderr
// is this process's stderr.
//
// Owns the process: the destructor of a worker that has not been reaped kills it (SIGKILL) and
// reaps it, so an exception can never leave a child behind or a zombie in the process table.
// Movable, not copyable. Not thread-safe: one thread at a time may use one object (each thread of
// a pool owning its own worker is fine; different objects share nothing).
class WorkerProcess {
 public:
  // Starts the program at `path` (absolute) with no arguments and this process's environment.
  // Its pipes are opened close-on-exec and every other descriptor is closed in the child, so a
  // worker started while another thread starts one never inherits the other's pipes (which would
  // keep that worker's input open and stall it forever). Does not wait for the ready line (see
  // await_ready). Flushes stdout first, so that nothing buffered is written twice.
  // Throws std::system_error when the program cannot be started, naming the path.
  explicit WorkerProcess(const std::string& path);
  ~WorkerProcess();

  WorkerProcess(WorkerProcess&& other) noexcept;
  WorkerProcess& operator=(WorkerProcess&& other) noexcept;
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  const std::string& path() const noexcept { return path_; }

  // Writes `line` and a '\n' to the worker's stdin. Blocks while the pipe is full (64 KiB that
  // the worker has not read yet). Returns false, without raising SIGPIPE, when the worker can no
  // longer read (it died or closed its stdin) or its input was closed already; throws
  // std::system_error on any other write error.
  bool write_line(std::string_view line);

  // Closes the worker's stdin: the worker sees end of input, finishes and exits. Idempotent.
  void close_input() noexcept;

  // Reads the next line of the worker's stdout into `line`, without its '\n'. Blocks until a
  // whole line has arrived. Returns false at end of output (the worker exited or closed its
  // stdout; an unfinished last line is dropped). Throws std::system_error on a read error.
  bool read_line(std::string& line);

  // Closes the worker's stdin, reads and discards its output to the end (so it can never block
  // on a full pipe), then waits until it exits and reaps it. Returns how it ended; a second call
  // returns the same status at once. Blocks as long as the worker runs after end of input.
  ExitStatus wait();

  // Kills the worker (SIGKILL) unless it was reaped already, then reaps it. Never blocks for
  // long (a killed process exits at once) and never throws.
  void kill() noexcept;

 private:
  void release() noexcept;  // kill(), then close both pipes

  std::string path_;
  pid_t pid_ = -1;
  int to_child_ = -1;    // write end of the worker's stdin; -1 once closed
  int from_child_ = -1;  // read end of the worker's stdout; -1 once end of output was read
  std::string pending_;  // bytes read from the worker that do not end in '\n' yet
  bool reaped_ = true;   // no process to kill or wait for (not started, moved from, or reaped)
  ExitStatus status_;    // how it ended, once reaped_
};

// The start-up handshake: reads the worker's first line and checks that it is
// ready_line(). Call it once per worker, before its first task; to overlap start-ups, start every
// worker first, then await each one.
// Throws std::runtime_error, after reaping the worker, when it ends before its ready line or
// writes anything else (it is not a parlab-pool/1 worker, or its problem() differs from ours).
// Blocks until the line arrives: a program that never writes a line blocks it forever.
void await_ready(WorkerProcess& worker);

// One round trip: sends task (index, n) and returns the value of its answer. Blocks for as long
// as the worker computes.
// Throws WorkerError naming the task, after reaping the worker, when the worker dies before it
// answers (the error says how it ended) or answers anything but "<index> <value>" for this index
// (the worker is killed first).
std::uint64_t run_task(WorkerProcess& worker, std::size_t index, std::uint64_t n);

// The end of a worker's life: closes its stdin, checks that it writes nothing more, reaps it and
// checks that it exited with code 0. Throws std::runtime_error, after reaping it, otherwise.
void finish(WorkerProcess& worker);

}  // namespace parlab::pool
