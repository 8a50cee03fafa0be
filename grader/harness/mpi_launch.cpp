// Harness: mpi_launch() (mpi_launch.hpp), the one file of the harness that includes Boost.Process.
//
// Boost.Process only starts mpirun (fork, the redirections to files, exec). Waiting, stopping and
// reaping use POSIX calls, because several Boost.Process 1.74 calls are broken: wait_for() blocks
// its whole timeout, terminate() SIGKILLs (mpirun would leave its ranks and their shared memory
// behind) and leaves a zombie, and its pipes are not close-on-exec. See ../../../shared/STACK.md.
#include "mpi_launch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/search_path.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace parlab {
namespace {

constexpr std::size_t kStdoutCap = 16u << 20;  // more than any of our programs prints
constexpr std::size_t kStderrTail = 4096;      // enough for mpirun's boxed messages

// The private folder of one launch: mpirun's session files and the two output files. Removed,
// with everything in it, when the launch ends, however it ends.
class ScratchDir {
 public:
  ScratchDir() {
    // mkdtemp makes the six X unique.
    std::string name = (fs::temp_directory_path() / ("parlab-mpi-" + std::string(6, 'X'))).string();
    if (::mkdtemp(name.data()) == nullptr) {
      throw MpiLaunchError("mpi_launch: cannot create a folder " + name + ": " + std::strerror(errno));
    }
    path_ = name;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const noexcept { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path, std::size_t cap, bool tail) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const auto size = static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0));
  const std::size_t count = std::min(size, cap);
  in.seekg(static_cast<std::streamoff>(tail ? size - count : 0));
  std::string text(count, '\0');
  in.read(text.data(), static_cast<std::streamsize>(count));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::string seconds_text(std::chrono::milliseconds span) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(span.count()) / 1000.0);
  return text;
}

// How an error message ends: the tail of the job's stderr, or that it wrote none.
std::string stderr_quote(const std::string& tail) {
  return tail.empty() ? ". Its stderr is empty." : ". Its stderr ends with:\n" + tail;
}

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// A process under mpirun, as /proc/<pid>/stat shows it.
struct Descendant {
  pid_t pid;
  pid_t parent;
  char state;  // 'Z' once it has exited and waits to be reaped
};

// Every process whose parent is `pid`, and theirs, from /proc (the ranks mpirun started).
void collect_descendants(pid_t pid, std::vector<Descendant>& found) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // The parent's pid follows the command name, which is in parentheses and may hold spaces.
    const auto close = line.rfind(')');
    char state = 0;
    int parent = 0;
    if (close == std::string::npos || std::sscanf(line.c_str() + close + 1, " %c %d", &state, &parent) != 2) continue;
    if (parent != pid) continue;
    const pid_t child = std::stoi(name);
    found.push_back({child, pid, state});
    collect_descendants(child, found);
  }
}

// What a job that is about to be stopped consists of, looked at while mpirun still runs: its ranks
// (each held by a pidfd, which keeps naming that process even after mpirun is gone and the rank
// has a new parent) and the shared-memory files the ranks have mapped (Open MPI's
// /dev/shm/vader_segment.<host>.<job>.<rank>, one per rank, mapped by all of them).
//
// Why: mpirun normally stops its ranks and removes those files when it gets SIGTERM, but Open MPI
// 4.1.4's mpirun sometimes crashes while doing so (in PMIx_server_finalize, seen here with 5 and 7
// hung ranks) or never finishes, and then ranks or files stay behind. remove_leftovers() finishes
// the job after mpirun: it kills what still runs and unlinks what is still there, and nothing else
// (only processes of this job and files they had mapped).
class JobSnapshot {
 public:
  explicit JobSnapshot(pid_t mpirun) {
    std::vector<Descendant> ranks;
    collect_descendants(mpirun, ranks);
    for (const auto& [rank, parent, state] : ranks) {
      if (parent == mpirun && state != 'Z') ++running_;  // a rank, not a process a rank started
      if (const int fd = pidfd_open(rank); fd >= 0) pidfds_.push_back(fd);
      std::ifstream maps("/proc/" + std::to_string(rank) + "/maps");
      for (std::string line; std::getline(maps, line);) {
        const auto at = line.find("/dev/shm/vader_segment.");
        if (at != std::string::npos && line.find(" (deleted)", at) == std::string::npos) files_.insert(line.substr(at));
      }
    }
  }
  ~JobSnapshot() {
    for (const int fd : pidfds_) ::close(fd);
  }
  JobSnapshot(const JobSnapshot&) = delete;
  JobSnapshot& operator=(const JobSnapshot&) = delete;

  // Ranks still running when the snapshot was taken. Fewer than the job has: some never started,
  // or some have exited while the others still wait (for them, or in mpirun's start-up).
  unsigned running() const noexcept { return running_; }

  // Call once mpirun has exited. Returns "" when it had cleaned up everything, otherwise what was
  // left and has now been removed ("2 ranks, 2 shared-memory files").
  std::string remove_leftovers() {
    int killed = 0;
    for (const int fd : pidfds_) {
      pollfd exited{fd, POLLIN, 0};
      if (::poll(&exited, 1, 0) > 0) continue;  // readable: that rank has exited already
      if (::syscall(SYS_pidfd_send_signal, fd, SIGKILL, nullptr, 0) != 0) continue;
      ++killed;
      ::poll(&exited, 1, 1000);  // a SIGKILLed process exits at once; its new parent reaps it
    }
    int removed = 0;
    for (const std::string& file : files_) removed += ::unlink(file.c_str()) == 0 ? 1 : 0;
    if (killed == 0 && removed == 0) return {};
    return std::to_string(killed) + " rank" + (killed == 1 ? "" : "s") + ", " + std::to_string(removed) +
           " shared-memory file" + (removed == 1 ? "" : "s");
  }

 private:
  std::vector<int> pidfds_;
  std::set<std::string> files_;
  unsigned running_ = 0;
};

// A started mpirun that is ours to reap. If anything throws before it is reaped, the destructor
// stops it the way a timeout does, so an exception never leaves mpirun or its ranks behind.
class Running {
 public:
  Running(pid_t pid, unsigned ranks) : pid_(pid), pidfd_(pidfd_open(pid)), ranks_(ranks) {}
  ~Running() {
    if (!reaped_) {
      try {
        stop(std::chrono::milliseconds(2000));
      } catch (...) {  // std::bad_alloc, from the snapshot or the message: still never leave mpirun running
        if (!reaped_) {
          ::kill(pid_, SIGKILL);
          reap();
        }
      }
    }
    if (pidfd_ >= 0) ::close(pidfd_);
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  // Waits until mpirun exits or `limit` passes; true when it exited (not yet reaped).
  bool wait_exit(std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (pidfd_ >= 0) {
        // The pidfd becomes readable when the process exits (Linux 5.3 and later).
        pollfd ready{pidfd_, POLLIN, 0};
        const int got = ::poll(&ready, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
        if (got > 0) return true;
        if (got == 0) return false;
        if (errno != EINTR) return exited_now();
      } else {
        // No pidfd (an older kernel): look every 10 ms without reaping.
        if (exited_now()) return true;
        if (left.count() <= 0) return false;
        ::usleep(10'000);
      }
    }
  }

  // Reaps mpirun (blocking) and returns its wait status.
  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) == -1 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

  // Stops the job and says how: SIGTERM, so that mpirun stops its ranks and removes their shared
  // memory and its session files; after `grace`, SIGKILL. Then whatever mpirun left (ranks still
  // running in process groups of their own, shared-memory files) is removed (JobSnapshot).
  std::string stop(std::chrono::milliseconds grace) {
    JobSnapshot job(pid_);  // before SIGTERM, while mpirun is still the ranks' parent
    ::kill(pid_, SIGTERM);
    const bool clean = wait_exit(grace);
    if (!clean) ::kill(pid_, SIGKILL);
    const int status = reap();
    std::string how = std::to_string(job.running()) + " of its " + std::to_string(ranks_) + " rank" +
                      (ranks_ == 1 ? " was" : "s were") + " running; stopped with SIGTERM";
    if (!clean) {
      how += ", then SIGKILL after " + seconds_text(grace);
    } else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGTERM) {
      how += ", on which mpirun died of signal " + std::to_string(WTERMSIG(status));
    }
    if (const std::string left = job.remove_leftovers(); !left.empty()) how += "; removed what it left: " + left;
    return how;
  }

 private:
  bool exited_now() const {
    siginfo_t info{};
    // WNOWAIT: look without reaping, so that reap() still gets the status.
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_;
  }

  pid_t pid_;
  int pidfd_;
  unsigned ranks_;  // how many the job has, to say how many of them were running when stopped
  bool reaped_ = false;
};

std::string joined(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& word : words) line += (line.empty() ? "" : " ") + word;
  return line;
}

}  // namespace

std::string MpiOutcome::describe() const {
  if (!signaled) return "exited with code " + std::to_string(code);
  const char* name = ::strsignal(signal);
  return "was killed by signal " + std::to_string(signal) + " (" + (name ? name : "unknown") + ")";
}

unsigned mpi_slot_count() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 1;
  // A core is a (package, core id) pair: hardware threads of one core share it. Where the topology
  // cannot be read, every allowed CPU counts as a core.
  std::set<std::pair<std::string, std::string>> cores;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    const fs::path topology = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology";
    std::string package, core;
    std::ifstream(topology / "physical_package_id") >> package;
    std::ifstream(topology / "core_id") >> core;
    if (package.empty() || core.empty()) core = "cpu" + std::to_string(cpu);
    cores.emplace(package, core);
  }
  return std::max<unsigned>(1, static_cast<unsigned>(cores.size()));
}

std::vector<std::string> mpirun_command(const MpiLaunch& launch) {
  if (launch.ranks == 0) throw std::invalid_argument("mpi_launch: ranks must be at least 1");
  if (!fs::path(launch.program).is_absolute()) {
    throw std::invalid_argument("mpi_launch: the program path must be absolute, not '" + launch.program + "'");
  }
  std::vector<std::string> command = {"mpirun", "-np", std::to_string(launch.ranks)};
  if (::geteuid() == 0) command.push_back("--allow-run-as-root");
  if (launch.ranks > mpi_slot_count()) command.push_back("--oversubscribe");
  // Ranks waiting in a collective give their core away instead of spinning on it: on a machine
  // that other programs keep busy, a spinning rank starves the rank it waits for.
  command.insert(command.end(), {"--mca", "mpi_yield_when_idle", "1", "--bind-to", "none", launch.program});
  command.insert(command.end(), launch.args.begin(), launch.args.end());
  return command;
}

MpiOutcome mpi_launch(const MpiLaunch& launch) {
  const std::vector<std::string> command = mpirun_command(launch);
  const boost::filesystem::path mpirun = bp::search_path("mpirun");
  if (mpirun.empty()) {
    throw MpiLaunchError("mpi_launch: mpirun is not on PATH; install Open MPI (Debian: openmpi-bin libopenmpi-dev)");
  }
  if (::access(launch.program.c_str(), X_OK) != 0) {
    throw MpiLaunchError("mpi_launch: cannot run " + launch.program + ": " + std::strerror(errno));
  }

  ScratchDir scratch;
  const fs::path out_path = scratch.path() / "stdout.txt";
  const fs::path err_path = scratch.path() / "stderr.txt";
  // mpirun's session files go into our folder. On the command line rather than as
  // OMPI_MCA_orte_tmpdir_base in the environment, which mpirun then sets for the ranks anyway:
  // Boost 1.74's environment lookup (basic_environment::find) reads past the end of variables
  // shorter than the name it looks for, which ThreadSanitizer reports as a heap-use-after-free.
  std::vector<std::string> args(command.begin() + 1, command.end());  // "-np", "<ranks>", ...
  args.insert(args.begin() + 2, {"--mca", "orte_tmpdir_base", scratch.path().string()});

  std::fflush(stdout);  // a buffered line would otherwise be owned by two processes
  std::error_code spawn_error;
  const auto start = std::chrono::steady_clock::now();
  // No bp::group: mpirun stays in the caller's process group (see the header).
  // clang-format off
  bp::child child(
      bp::exe = mpirun, bp::args = args,
      bp::std_in < bp::null, bp::std_out > out_path.string(), bp::std_err > err_path.string(),
      // Passed after the redirections, so it runs after them, in the child, before exec. Only
      // async-signal-safe calls: the child of a multithreaded parent may do nothing else.
      bp::extend::on_exec_setup = [](auto&) {
        // Boost's own descriptors and whatever the caller holds (another launch's files, a
        // test's sockets) close at exec; Boost's exec-error pipe still reports a failed exec.
        ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
        // mpirun starts with default signal handling, whatever the caller blocks or ignores:
        // it must see SIGTERM and SIGINT to clean up.
        struct sigaction default_action {};
        default_action.sa_handler = SIG_DFL;
        for (const int signal : {SIGPIPE, SIGTERM, SIGINT, SIGCHLD}) ::sigaction(signal, &default_action, nullptr);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
      },
      bp::extend::on_error = [](auto& exec, const std::error_code&) {
        // Forked, but exec failed: reap the child here rather than leave a zombie.
        int status = 0;
        while (exec.pid > 0 && ::waitpid(exec.pid, &status, 0) == -1 && errno == EINTR) {
        }
      },
      spawn_error);
  // clang-format on
  if (spawn_error) {
    throw MpiLaunchError("mpi_launch: cannot start " + mpirun.string() + ": " + spawn_error.message());
  }
  Running running(child.id(), launch.ranks);
  child.detach();  // from now on `running` reaps it

  if (!running.wait_exit(launch.timeout)) {
    const std::string how = running.stop(launch.term_grace);
    throw MpiLaunchError("mpi_launch: `" + joined(command) + "` did not finish within " + seconds_text(launch.timeout) +
                             "; " + how + stderr_quote(read_file(err_path, kStderrTail, true)),
                         true);
  }
  const int status = running.reap();

  MpiOutcome outcome;
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFSIGNALED(status)) {
    outcome.signaled = true;
    outcome.signal = WTERMSIG(status);
  } else {
    outcome.code = WEXITSTATUS(status);
  }
  outcome.out = read_file(out_path, kStdoutCap, false);
  outcome.err_tail = read_file(err_path, kStderrTail, true);
  return outcome;
}

std::string mpi_launch_stdout(const MpiLaunch& launch) {
  MpiOutcome outcome = mpi_launch(launch);
  if (!outcome.success()) {
    throw MpiLaunchError("mpi_launch: `" + joined(mpirun_command(launch)) + "` " + outcome.describe() +
                         stderr_quote(outcome.err_tail));
  }
  return std::move(outcome.out);
}

}  // namespace parlab
