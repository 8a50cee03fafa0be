// Given, do not modify: WorkerProcess and the parent's protocol steps (worker_process.hpp). The one
// file of the exercise that includes Boost.Process.
//
// What Boost.Process does here, and what it does not: it only starts the child (fork, the two
// redirections, exec, and an exception when exec fails). Every later step uses POSIX directly,
// because several Boost.Process 1.74 calls are broken: wait_for() blocks for its whole timeout,
// terminate() leaves a zombie and loses the status, exit_code() cannot tell a crash from an exit,
// its pipes are not close-on-exec (they leak into children started by other threads), and
// ipstream reads deadlock when two children are read one after the other. See the README.
#include "worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "pool_protocol.hpp"
#include "process_pool.hpp"

namespace bp = boost::process;

namespace parlab::pool {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void close_fd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

ExitStatus decode(int status) {
  ExitStatus result;
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.signal = WTERMSIG(status);
  } else {
    result.code = WEXITSTATUS(status);
  }
  return result;
}

// waitpid that retries when a signal interrupts it.
ExitStatus reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) == -1) {
    if (errno != EINTR) throw_errno("waitpid(" + std::to_string(pid) + ")");
  }
  return decode(status);
}

// Writes all of `bytes` to `fd` while SIGPIPE is blocked in this thread, so that a reader that
// went away shows up as EPIPE (returned false) instead of a signal that ends the whole process.
// If the write raised SIGPIPE, that one pending signal is consumed before the mask is restored;
// other threads and the process's signal dispositions are left alone.
bool write_all_without_sigpipe(int fd, std::string_view bytes) {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
  sigset_t pending;
  sigpending(&pending);
  const bool pending_before = sigismember(&pending, SIGPIPE) == 1;

  bool broken = false;
  int error = 0;
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(written));
    } else if (errno == EINTR) {
      continue;
    } else {
      broken = errno == EPIPE;
      error = errno;
      break;
    }
  }
  if (broken && !pending_before) {
    const timespec no_wait{0, 0};
    while (sigtimedwait(&pipe_only, nullptr, &no_wait) == -1 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  if (error != 0 && !broken) {
    errno = error;
    throw_errno("write to a worker's stdin");
  }
  return !broken;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 80;
  std::string out = "'";
  out += text.substr(0, kShown);
  if (text.size() > kShown) out += "...";
  return out + "'";
}

std::string who(const WorkerProcess& worker) { return "worker pid " + std::to_string(worker.pid()); }

}  // namespace

std::string ExitStatus::describe() const {
  if (!signaled) return "exited with code " + std::to_string(code);
  const char* name = ::strsignal(signal);
  return "was killed by signal " + std::to_string(signal) + " (" + (name ? name : "unknown") + ")";
}

WorkerProcess::WorkerProcess(const std::string& path) : path_(path) {
  // Both pipes close-on-exec from birth: whatever another thread starts meanwhile cannot inherit
  // them. In the child, dup2 onto 0 and 1 clears the flag for the two ends the worker needs.
  int to_child[2];
  int from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) == -1) throw_errno("pipe2");
  if (::pipe2(from_child, O_CLOEXEC) == -1) {
    const int error = errno;
    ::close(to_child[0]);
    ::close(to_child[1]);
    errno = error;
    throw_errno("pipe2");
  }
  bp::pipe input(to_child[0], to_child[1]);       // the worker reads the source
  bp::pipe output(from_child[0], from_child[1]);  // the worker writes the sink

  std::fflush(stdout);  // a buffered line would otherwise be owned by two processes
  // An error_code instead of an exception, on purpose: when exec fails, Boost 1.74 throws from
  // deep inside and never reaps the child it forked (which exits at once), leaving a zombie. With
  // an error_code it calls on_error handlers first, where the forked pid is still known.
  std::error_code error;
  // Formatting off: clang-format reads `std_in < input, std_out > output` as a template.
  // clang-format off
  bp::child child(
      bp::exe = path, bp::std_in < input, bp::std_out > output,
      // Passed after the redirections, so it runs after them, in the child, before exec. Only
      // async-signal-safe calls: the child of a multithreaded parent may do nothing else.
      bp::extend::on_exec_setup = [](auto&) {
        // Any descriptor this process holds (another worker's pipe, a test's socket) closes at
        // exec: the worker starts with stdin, stdout and stderr only.
        ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        // A worker starts with default signal handling, whatever the parent blocks or ignores.
        struct sigaction default_action {};
        default_action.sa_handler = SIG_DFL;
        ::sigaction(SIGPIPE, &default_action, nullptr);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
      },
      bp::extend::on_error = [](auto& exec, const std::error_code&) {
        // Forked, but exec failed: the child has exited (or is about to). Reap it here, without
        // throwing from inside Boost.
        int status = 0;
        while (exec.pid > 0 && ::waitpid(exec.pid, &status, 0) == -1 && errno == EINTR) {
        }
      },
      error);
  // clang-format on
  if (error) throw std::system_error(error, "process_pool: cannot start worker '" + path + "'");
  pid_ = child.id();
  reaped_ = false;
  child.detach();  // from now on this object reaps it, with waitpid
  // Boost closed the child's ends in this process; keep ours.
  to_child_ = input.native_sink();
  input.assign_sink(-1);
  from_child_ = output.native_source();
  output.assign_source(-1);
}

WorkerProcess::~WorkerProcess() { release(); }

WorkerProcess::WorkerProcess(WorkerProcess&& other) noexcept
    : path_(std::move(other.path_)),
      pid_(std::exchange(other.pid_, -1)),
      to_child_(std::exchange(other.to_child_, -1)),
      from_child_(std::exchange(other.from_child_, -1)),
      pending_(std::move(other.pending_)),
      reaped_(std::exchange(other.reaped_, true)),
      status_(other.status_) {}

WorkerProcess& WorkerProcess::operator=(WorkerProcess&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    pid_ = std::exchange(other.pid_, -1);
    to_child_ = std::exchange(other.to_child_, -1);
    from_child_ = std::exchange(other.from_child_, -1);
    pending_ = std::move(other.pending_);
    reaped_ = std::exchange(other.reaped_, true);
    status_ = other.status_;
  }
  return *this;
}

void WorkerProcess::release() noexcept {
  kill();
  close_fd(to_child_);
  close_fd(from_child_);
}

bool WorkerProcess::write_line(std::string_view line) {
  if (to_child_ < 0) return false;
  std::string bytes;
  bytes.reserve(line.size() + 1);
  bytes.append(line).push_back('\n');
  return write_all_without_sigpipe(to_child_, bytes);
}

void WorkerProcess::close_input() noexcept { close_fd(to_child_); }

bool WorkerProcess::read_line(std::string& line) {
  std::size_t searched = 0;  // bytes of pending_ known to hold no '\n'
  for (;;) {
    const std::size_t newline = pending_.find('\n', searched);
    if (newline != std::string::npos) {
      line.assign(pending_, 0, newline);
      pending_.erase(0, newline + 1);
      return true;
    }
    searched = pending_.size();
    if (from_child_ < 0) return false;
    char chunk[4096];
    const ssize_t got = ::read(from_child_, chunk, sizeof chunk);
    if (got > 0) {
      pending_.append(chunk, static_cast<std::size_t>(got));
    } else if (got == 0) {
      close_fd(from_child_);  // end of output: nothing more will come
      pending_.clear();       // an unfinished last line is not a line
      return false;
    } else if (errno != EINTR) {
      throw_errno("read from " + who(*this) + "'s stdout");
    }
  }
}

ExitStatus WorkerProcess::wait() {
  if (reaped_) return status_;
  close_input();
  std::string discarded;
  while (read_line(discarded)) {
  }
  status_ = reap(pid_);
  reaped_ = true;
  return status_;
}

void WorkerProcess::kill() noexcept {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) == -1 && errno == EINTR) {
  }
  status_ = decode(status);
  reaped_ = true;
}

void await_ready(WorkerProcess& worker) {
  std::string line;
  if (!worker.read_line(line)) {
    const ExitStatus status = worker.wait();
    throw std::runtime_error("process_pool: " + who(worker) + " (" + worker.path() + ") " + status.describe() +
                             " before its ready line");
  }
  if (line != ready_line()) {
    worker.kill();
    throw std::runtime_error("process_pool: " + worker.path() + " is not a " + std::string(kProtocol) +
                             " worker, or its problem() differs from " + "the parent's: its first line was " +
                             quoted(line) + ", expected " + quoted(ready_line()));
  }
}

std::uint64_t run_task(WorkerProcess& worker, std::size_t index, std::uint64_t n) {
  const auto failed = [&](const std::string& how) {
    return WorkerError(index, "process_pool: task " + std::to_string(index) + " (n = " + std::to_string(n) +
                                  ") failed: " + who(worker) + " " + how);
  };
  std::string line;
  // A write that fails means the worker is gone; so does end of output instead of an answer.
  if (!worker.write_line(format_task(Task{index, n})) || !worker.read_line(line)) {
    throw failed(worker.wait().describe());
  }
  const std::optional<Result> result = parse_result(line);
  if (!result || result->index != index) {
    worker.kill();
    throw failed("answered " + quoted(line) + " instead of '" + std::to_string(index) + " <value>'");
  }
  return result->value;
}

void finish(WorkerProcess& worker) {
  worker.close_input();
  std::string line;
  if (worker.read_line(line)) {
    worker.kill();
    throw std::runtime_error("process_pool: " + who(worker) + " wrote " + quoted(line) + " after its last task");
  }
  const ExitStatus status = worker.wait();
  if (!status.success()) {
    throw std::runtime_error("process_pool: " + who(worker) + " " + status.describe() + " after its last task");
  }
}

}  // namespace parlab::pool
