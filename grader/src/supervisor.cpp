// Grader: the one translation unit that includes Boost.Process (see supervisor.hpp).
#include "supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>

#include "proc_sampler.hpp"
#include "stack_report.hpp"
#include "task_cap.hpp"
#include "unprivileged_user.hpp"

namespace bp = boost::process;
namespace fs = std::filesystem;

namespace parlab::grader {
namespace {

// gdb attaches and prints every thread's stack in a second or two; past this it is stuck itself.
constexpr std::chrono::seconds kGdbLimit{20};
// The exit code of a child that could not be confined: a session of its own, or the
// unprivileged user (as env(1) uses 125 for its own failures).
constexpr int kCouldNotConfine = 125;
// Under RLIMIT_NPROC nothing counts refused forks, and what /proc shows of a storm pressing on
// the limit trails the kernel's count (tasks half made, half reaped): measured, a storm held at
// 1024 showed anywhere from 800 to 1022. So a tree within a quarter of its cap is taken as at
// it; no sane pool comes near.
constexpr unsigned kNearCapDivisor = 4;

// How long after the start threads are counted every 5 ms: a pool or a launcher starts its
// workers in this time; later, workers that come and go live long enough for 25 ms.
constexpr std::chrono::milliseconds kEagerCounting{250};

// Held for the whole life of a child: exclusively by an ordinary child, so one runs at a time;
// shared by children that may run side by side (ChildSpec::side_by_side: a batch's graders).
std::shared_mutex children_lock;

// The groups of the children being supervised (a child leads its group): the signal thread
// kills them all, and the orphan sweep leaves them alone. Held only for a moment.
std::mutex running_mutex;
std::set<pid_t> running_groups;

std::set<pid_t> running_now() {
  const std::lock_guard lock(running_mutex);
  return running_groups;
}
// Set by the interrupt watcher: from then on no child starts, as none would be stopped.
std::atomic<bool> interrupted{false};

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// Waits up to `slice_ms` for child `pid` to end, without reaping it. With a pidfd the kernel wakes
// us; without one (pidfd_open fails with EMFILE when the grader is out of descriptors) the child
// is looked at every 10 ms, rather than taken for one that never ends.
bool wait_for_end(pid_t pid, int pidfd, int slice_ms) {
  if (pidfd >= 0) {
    pollfd ready{pidfd, POLLIN, 0};
    return ::poll(&ready, 1, slice_ms) > 0;
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(slice_ms);
  for (;;) {
    siginfo_t info{};
    // WNOWAIT: look without reaping, so that wait4 below still gets the status and the usage.
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(slice_ms, 10)));
  }
}

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

std::string read_prefix(const fs::path& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::uint64_t rss_bytes(pid_t pid) {
  std::ifstream statm(fmt::format("/proc/{}/statm", pid));
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

// The "Threads:" line of /proc/<pid>/status; 0 once the process is gone.
unsigned thread_count(pid_t pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Threads:", 0) == 0) return static_cast<unsigned>(std::stoul(line.substr(8)));
  }
  return 0;
}

// One process's entry in /proc/<pid>/stat, the fields the supervisor needs.
struct ProcessStat {
  pid_t pid = 0;
  char state = 0;  // 'Z': a zombie, waiting to be reaped
  pid_t parent = 0;
  pid_t group = 0;
};

// Every process on the machine, as /proc shows it at this moment.
std::vector<ProcessStat> all_processes() {
  std::vector<ProcessStat> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // The fields after the command name, which is in parentheses and may hold spaces.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    ProcessStat process;
    process.pid = std::stoi(name);
    if (std::sscanf(line.c_str() + close + 1, " %c %d %d", &process.state, &process.parent, &process.group) == 3) {
      out.push_back(process);
    }
  }
  return out;
}

// Whether a process of group `pgid` is still running (zombies waiting to be reaped do not count).
bool group_has_live_process(pid_t pgid) {
  const auto processes = all_processes();
  return std::any_of(processes.begin(), processes.end(),
                     [&](const ProcessStat& p) { return p.group == pgid && p.state != 'Z'; });
}

// Every process whose parent is the grader and that the grader did not start on purpose is an
// orphan a submission left behind (we are its subreaper). Kill and reap them all, but the
// children being supervised: an ordinary child runs alone, and children side by side are
// graders, which are subreapers of their own descendants. A killed tree turns into zombies
// that come to us one level at a time (a zombie's children are ours once it is reaped), and a
// fork storm's tree is deep: so reap until nothing is left, within a bound.
void kill_and_reap_orphans() {
  const pid_t self = ::getpid();
  const std::set<pid_t> supervised = running_now();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    bool found = false;
    for (const ProcessStat& process : all_processes()) {
      if (process.parent != self || supervised.contains(process.pid)) continue;
      ::kill(process.pid, SIGKILL);
      found = true;
      if (!supervised.empty()) ::waitpid(process.pid, nullptr, 0);
    }
    // Alone, any child of ours is an orphan: reap every one that has ended, level by level.
    bool reaped = false;
    if (supervised.empty()) {
      while (::waitpid(-1, nullptr, __WALL | WNOHANG) > 0) reaped = true;
    }
    if (!found && !reaped) return;
    if (std::chrono::steady_clock::now() > give_up) return;
    if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // the killed are still dying
  }
}

void set_limit(int resource, rlim_t value) {
  const rlimit limit{value, value};
  ::setrlimit(resource, &limit);
}

}  // namespace

std::string ChildResult::stdout_text(std::size_t limit) const { return read_prefix(stdout_path, limit); }
std::string ChildResult::stderr_text(std::size_t limit) const { return read_prefix(stderr_path, limit); }

std::string ChildResult::describe() const {
  switch (end) {
    case End::exited:
      return fmt::format("exit {}", exit_code);
    case End::signaled:
      return fmt::format("killed by {}",
                         sigabbrev_np(signal) ? fmt::format("SIG{}", sigabbrev_np(signal)) : std::to_string(signal));
    case End::timed_out:
      return fmt::format("timed out after {:.0f} s", wall.count());
    case End::memory_exceeded:
      return "stopped: memory limit exceeded";
    case End::output_exceeded:
      return "stopped: output limit exceeded";
    case End::tasks_exceeded:
      return "stopped: too many threads and processes at once";
    case End::spawn_failed:
      return "could not start: " + spawn_error;
  }
  return "unknown end";
}

std::string explain(const ChildResult& result) {
  if (result.task_cap_hit) {
    return "it tried to run more threads and processes at once than allowed: a fork bomb, or a thread "
           "or a process per item instead of a pool";
  }
  switch (result.end) {
    case ChildResult::End::timed_out:
      return "it never finished: a deadlock, a lost wake-up, a join that waits forever or an endless loop";
    case ChildResult::End::memory_exceeded:
      return "it used more memory than allowed";
    case ChildResult::End::output_exceeded:
      return "it printed or wrote more than allowed";
    case ChildResult::End::tasks_exceeded:  // with task_cap_hit, explained above
      return "it ran more threads and processes at once than allowed";
    case ChildResult::End::signaled:
      switch (result.signal) {
        case SIGSEGV:
        case SIGBUS:
          return "it crashed (a bad pointer, an out-of-range index or a use after free)";
        case SIGABRT:
          return "it aborted: std::abort, a failed assert, or std::terminate (an exception that escaped a "
                 "thread, or a std::thread destroyed while still joinable)";
        case SIGFPE:
          return "it divided an integer by zero";
        case SIGILL:
          return "it hit a trap the compiler put where the code had undefined behaviour (a null pointer "
                 "used, a function that fell off its end without returning)";
        default:
          return "it was killed by a signal";
      }
    case ChildResult::End::exited:
      if (result.exit_code == kCouldNotConfine && !result.run_as.empty()) {
        return "the grader could not switch to the user " + result.run_as + " to run it";
      }
      return result.exit_code == 66 ? "ThreadSanitizer reported a problem" : "it exited with an error";
    case ChildResult::End::spawn_failed:
      return "the grader could not start it";
  }
  return {};
}

namespace {
std::atomic<void (*)()> interrupt_cleanup{nullptr};
}  // namespace

void at_interrupt(void (*cleanup)()) { interrupt_cleanup = cleanup; }

void install_supervision() {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  // Blocked here, before any other thread exists, so every thread inherits the mask and only
  // the watcher below ever sees these signals. Children get an empty mask back in run_child.
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread([stop_signals] {
    int received = 0;
    ::sigwait(&stop_signals, &received);
    interrupted = true;
    for (const pid_t group : running_now()) ::killpg(group, SIGKILL);
    remove_task_caps_after_interrupt();
    kill_and_reap_orphans();
    if (auto* cleanup = interrupt_cleanup.load()) cleanup();
    std::fprintf(stderr, "\ngrader: interrupted; every child process was stopped\n");
    std::_Exit(130);
  }).detach();
}

fs::path make_scratch_dir(const std::string& prefix) {
  // mkdtemp replaces the trailing six characters with random ones.
  std::string name = (fs::temp_directory_path() / (prefix + "-" + std::string(6, 'X'))).string();
  if (::mkdtemp(name.data()) == nullptr) {
    throw std::runtime_error(fmt::format("cannot create a scratch folder {}: {}", name, std::strerror(errno)));
  }
  return name;
}

fs::path find_program(const std::string& name) { return bp::search_path(name).string(); }

ChildResult run_child(const ChildSpec& spec) {
  std::unique_lock alone(children_lock, std::defer_lock);
  std::shared_lock beside(children_lock, std::defer_lock);
  if (spec.side_by_side) {
    beside.lock();
  } else {
    alone.lock();
  }
  // The process is exiting (see install_supervision): wait for it rather than start a child the
  // interrupt path may have already swept past.
  while (interrupted) std::this_thread::sleep_for(std::chrono::seconds(1));
  ChildResult result;
  std::error_code ec;
  fs::create_directories(spec.work_dir, ec);
  result.stdout_path = spec.work_dir / "stdout.txt";
  result.stderr_path = spec.work_dir / "stderr.txt";
  std::fflush(nullptr);  // so a child's copy of our buffers can never print twice

  bp::environment env = boost::this_process::environment();
  for (const auto& [key, value] : spec.env) env[key] = value;

  const rlim_t address_limit = spec.memory_by_rss || spec.memory_bytes == 0 ? RLIM_INFINITY : spec.memory_bytes;
  const rlim_t output_limit = spec.output_bytes == 0 ? RLIM_INFINITY : spec.output_bytes;

  const TaskCap cap(spec.max_tasks);  // declared first: removed last, once its tasks are gone
  // Without a cgroup the cap is RLIMIT_NPROC, which counts every task of the user wherever it
  // runs: the limit is what the user runs now plus max_tasks. Root ignores it, so as root the
  // submission's code runs as an unprivileged user (nobody else's tasks count then, either).
  const std::optional<RunAs> run_as =
      !cap.active() && spec.max_tasks > 0 && spec.runs_submission ? unprivileged_runner() : std::nullopt;
  const uid_t counted_user = run_as ? run_as->uid : ::getuid();
  const rlim_t nproc_limit = cap.active() || spec.max_tasks == 0 || counted_user == 0
                                 ? RLIM_INFINITY
                                 : tasks_of_user(counted_user) + spec.max_tasks;
  if (run_as) {
    hand_over(spec.work_dir, *run_as);
    // Root's home and temp folder are closed to it; its own working folder is neither.
    env["HOME"] = spec.work_dir.string();
    env["TMPDIR"] = spec.work_dir.string();
    result.run_as = run_as->name;
  }
  const bool drop = run_as.has_value();
  const uid_t uid = run_as ? run_as->uid : 0;
  const gid_t gid = run_as ? run_as->gid : 0;
  // Runs in the child between fork and exec: only async-signal-safe calls here. The raw
  // syscalls change the ids of this one thread, which is all the child has.
  auto confine = [address_limit, output_limit, nproc_limit, drop, uid, gid, &cap](auto&) {
    // A session of its own, and so a process group (its id the child's pid) and, where the
    // kernel groups the scheduler by session (autogroup), a CPU share of its own: a fork storm's
    // thousand spinning processes then split that share among themselves instead of starving
    // the supervisor that must stop them.
    if (::setsid() < 0) ::_exit(kCouldNotConfine);
    cap.join_from_child();
    if (nproc_limit != RLIM_INFINITY) set_limit(RLIMIT_NPROC, nproc_limit);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_AS, address_limit);
    set_limit(RLIMIT_FSIZE, output_limit);
    if (drop && (::syscall(SYS_setgroups, 0, nullptr) != 0 || ::syscall(SYS_setresgid, gid, gid, gid) != 0 ||
                 ::syscall(SYS_setresuid, uid, uid, uid) != 0)) {
      ::_exit(kCouldNotConfine);
    }
    // Boost's pipes lack O_CLOEXEC: close everything we did not redirect on purpose.
    ::close_range(3, ~0U, 0);
  };
  // Whether the tree has reached the cap: the cgroup counts refused forks; RLIMIT_NPROC counts
  // nothing, so near the limit is taken as reaching it. Checked at most once a second, as the
  // count walks /proc.
  bool reached_cap = false;
  auto last_cap_check = std::chrono::steady_clock::time_point{};
  const auto check_cap = [&] {
    if (reached_cap || std::chrono::steady_clock::now() - last_cap_check < std::chrono::seconds(1)) return;
    last_cap_check = std::chrono::steady_clock::now();
    reached_cap = cap.active() ? cap.was_hit()
                               : nproc_limit != RLIM_INFINITY &&
                                     tasks_of_user(counted_user) + spec.max_tasks / kNearCapDivisor >= nproc_limit;
  };

  // Checked here because the child closes Boost's exec-error pipe (close_range above): a
  // failed exec would otherwise look like the program ran and exited 1.
  if (::access(spec.program.c_str(), X_OK) != 0) {
    result.spawn_error = fmt::format("{}: {}", spec.program.string(), std::strerror(errno));
    return result;
  }
  bp::child child;
  const auto start = std::chrono::steady_clock::now();
  try {
    child = bp::child(spec.program.string(), bp::args(spec.args), bp::start_dir(spec.work_dir.string()), env,
                      bp::std_in<bp::null, bp::std_out> result.stdout_path.string(),
                      bp::std_err > result.stderr_path.string(), bp::extend::on_exec_setup = confine);
  } catch (const std::exception& e) {
    // Boost 1.74 throws here after it forked, without reaping what it forked.
    kill_and_reap_orphans();
    result.spawn_error = e.what();
    return result;
  }
  const pid_t pid = child.id();
  result.pid = pid;
  const pid_t pgid = pid;  // setsid() in the child made it the leader of a new group
  {
    const std::lock_guard lock(running_mutex);
    running_groups.insert(pgid);
  }
  if (spec.on_started) spec.on_started(pid);

  const int pidfd = pidfd_open(pid);
  const auto deadline = start + spec.timeout;
  bool timed_out = false, memory_exceeded = false, stopped_at_cap = false;
  // Wait on the pidfd: it becomes readable when the child exits. Wake every 50 ms to watch RSS;
  // to count threads, every 5 ms while a program starts its workers, then every 25 ms. The
  // counting is not free: on a 2-core machine, walking /proc every 5 ms took 10% of a core from
  // the very parallel run it was watching, and a few percent off its speedup.
  const auto wake_ms = [&spec, start] {
    if (!spec.count_threads) return spec.memory_by_rss ? 50LL : 1000LL;
    return std::chrono::steady_clock::now() - start < kEagerCounting ? 5LL : 25LL;
  };
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    const int slice = static_cast<int>(std::min<long long>(left.count(), wake_ms()));
    if (wait_for_end(pid, pidfd, slice)) break;
    check_cap();
    // A tree at its cap is a fork storm, or a thread per item past any sane count: it would spin
    // on refused forks until its timeout, and under RLIMIT_NPROC slow the whole machine.
    if (reached_cap) {
      stopped_at_cap = true;
      break;
    }
    if (spec.count_threads) {
      result.peak_threads = std::max(result.peak_threads, thread_count(pid));
      const unsigned processes = cap.active() ? cap.process_count() : count_process_tree(pid);
      result.peak_processes = std::max(result.peak_processes, processes);
    }
    if (spec.memory_by_rss && spec.memory_bytes > 0 && rss_bytes(pid) > spec.memory_bytes) {
      memory_exceeded = true;
      break;
    }
  }
  // Once more as the child ends, while what it forked still stands: a tree refused a fork may
  // end at once (a shell that cannot fork exits), before any check above.
  last_cap_check = {};
  check_cap();
  // A tree at its cap is a fork storm: its stacks would be a thousand copies of one loop, and
  // gdb would crawl among the spinning processes; a grace would only let them spin on.
  if (timed_out && spec.stacks_on_timeout && !reached_cap) {
    // Read while the threads still stand where they hung; the signals below would unwind them.
    result.stacks = testing::describe_threads(testing::parse_gdb_threads(testing::gdb_stacks(pid, kGdbLimit)));
  }
  if (timed_out && spec.term_grace.count() > 0 && !reached_cap) {
    // A launcher in the group (mpirun) must outlive the child to stop what it started.
    ::killpg(pgid, SIGTERM);
    const auto give_up = std::chrono::steady_clock::now() + spec.term_grace;
    while (group_has_live_process(pgid) && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ::killpg(pgid, SIGKILL);  // also after a clean exit: whatever it left running in its group

  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.wall = std::chrono::steady_clock::now() - start;
  child.detach();
  if (pidfd >= 0) ::close(pidfd);
  {
    const std::lock_guard lock(running_mutex);
    running_groups.erase(pgid);
  }
  cap.kill_all();  // a daemon that left the group and the session is still in the cgroup
  kill_and_reap_orphans();
  result.task_cap_hit = reached_cap || cap.was_hit();

  result.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  result.max_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
  if (timed_out) {
    result.end = ChildResult::End::timed_out;
  } else if (stopped_at_cap) {
    result.end = ChildResult::End::tasks_exceeded;
  } else if (memory_exceeded) {
    result.end = ChildResult::End::memory_exceeded;
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.end = result.signal == SIGXFSZ ? ChildResult::End::output_exceeded : ChildResult::End::signaled;
  } else {
    result.end = ChildResult::End::exited;
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

}  // namespace parlab::grader
