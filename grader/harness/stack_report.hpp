// Harness: where the threads of a hung program are, told in its own source files.
//
//   const std::string raw = parlab::testing::gdb_stacks(pid, std::chrono::seconds(20));
//   std::fputs(parlab::testing::describe_threads(parlab::testing::parse_gdb_threads(raw)).c_str(), stderr);
//
// prints, for a deadlock:
//
//   thread 3 waits for a mutex, in operator() at download_sites.cpp:27
//   thread 2 waits to join a thread, in parlab::download_sites at download_sites.cpp:32
//
// gdb (Debian's `gdb` package) attaches in batch mode and prints every thread's backtrace; a
// program's "own" frames are those in files outside /usr and outside the C library's build tree,
// so the standard library's and GoogleTest's frames are skipped. Used by PARLAB_WITHIN
// (deadline.hpp) on its own process, and by the grader on a test that hits its timeout.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace parlab::testing {

struct Frame {
  std::string function;  // as gdb prints it, without the argument list
  std::string file;      // as gdb prints it (absolute for the program's files); empty when unknown
  int line = 0;
};

struct ThreadStack {
  int number = 0;             // gdb's thread number: 1 is the main thread
  std::vector<Frame> frames;  // innermost first
};

// Where a frame's argument list starts: the first " (" outside <>, () and {}. gdb prints the
// name, a space, then the arguments, and names such as std::function<void ()> hold " (" too.
inline std::size_t argument_list(std::string_view head) {
  int depth = 0;
  for (std::size_t i = 0; i + 1 < head.size(); ++i) {
    const char c = head[i];
    if (c == ' ' && head[i + 1] == '(' && depth == 0) return i;
    if (c == '<' || c == '(' || c == '{') ++depth;
    if ((c == '>' || c == ')' || c == '}') && depth > 0) --depth;
  }
  return head.rfind(" (");
}

// Parses gdb's `thread apply all bt`: "Thread N (...):" headers, each followed by "#K ..." frame
// lines such as "#3  0x000055d1 in ns::f (x=1) at /src/a.cpp:41" or "#0  futex_wait (...) at
// ../sysdeps/nptl/futex-internal.h:146". Lines of any other shape are ignored. Pure.
inline std::vector<ThreadStack> parse_gdb_threads(std::string_view text) {
  std::vector<ThreadStack> threads;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Thread ")) {
      threads.push_back({std::atoi(line.c_str() + 7), {}});
      continue;
    }
    if (threads.empty() || !line.starts_with("#")) continue;
    std::string_view rest = line;
    rest.remove_prefix(std::min(rest.find(' '), rest.size()));  // "#3"
    rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
    if (rest.starts_with("0x")) {  // "0x000055d1 in "
      const auto in = rest.find(" in ");
      if (in == std::string_view::npos) continue;
      rest.remove_prefix(in + 4);
    }
    Frame frame;
    std::string_view head = rest;
    if (const auto at = rest.rfind(" at "); at != std::string_view::npos) {
      const std::string_view where = rest.substr(at + 4);
      if (const auto colon = where.rfind(':'); colon != std::string_view::npos) {
        frame.file = std::string(where.substr(0, colon));
        frame.line = std::atoi(std::string(where.substr(colon + 1)).c_str());
      }
      head = rest.substr(0, at);
    } else if (const auto from = rest.rfind(" from "); from != std::string_view::npos) {
      head = rest.substr(0, from);
    }
    if (const auto args = argument_list(head); args != std::string_view::npos) head = head.substr(0, args);
    frame.function = std::string(head);
    threads.back().frames.push_back(std::move(frame));
  }
  return threads;
}

// A frame of this harness's own watching (PARLAB_WITHIN waiting, gdb being run): not the program.
inline bool watcher_frame(const Frame& frame) {
  return frame.file.ends_with("stack_report.hpp") || frame.file.ends_with("deadline.hpp") ||
         frame.function.find("parlab::testing::within") != std::string::npos ||
         frame.function.find("parlab::testing::gdb_stacks") != std::string::npos;
}

// A frame in the program's own sources: not the system's headers and libraries (/usr/...), not
// the C library's build tree (relative paths such as ./nptl/...).
inline bool own_frame(const Frame& frame) { return frame.file.starts_with("/") && !frame.file.starts_with("/usr/"); }

// What the library calls above a thread's own code say it was doing; "runs" when it was in its
// own code. The most telling call wins: joining, a condition variable, a mutex, sleeping, input.
inline std::string_view activity(const std::vector<Frame>& frames, std::size_t own_index) {
  const auto any = [&](auto matches) {
    for (std::size_t i = 0; i < own_index; ++i) {
      if (matches(std::string_view(frames[i].function))) return true;
    }
    return false;
  };
  const auto has = [](std::string_view word) { return [word](std::string_view f) { return f.find(word) != f.npos; }; };
  if (own_index == 0) return "runs";
  if (any(has("join"))) return "waits to join a thread";
  if (any(has("pthread_cond")) || any(has("condition_variable"))) return "waits on a condition variable";
  if (any(has("mutex")) || any(has("lll_lock"))) return "waits for a mutex";
  if (any(has("sleep"))) return "sleeps";
  if (any(has("poll")) || any(has("select")) || any(has("recv")) ||
      any([](std::string_view f) { return f.ends_with("read"); })) {
    return "waits for input";
  }
  if (any(has("futex")) || any(has("wait"))) return "waits";
  return "is in a library call";
}

// A thread of this harness's own watching: it has a watcher frame anywhere in its stack.
inline bool watcher_thread(const ThreadStack& thread) {
  for (const Frame& frame : thread.frames) {
    if (watcher_frame(frame)) return true;
  }
  return false;
}

// For when no thread stands in the program's own files (a hang in exit(), inside a library's
// cleanup after main returned): each thread's innermost calls, "thread 1, outside the program's
// files, in __lll_lock_wait < curl_global_cleanup < __run_exit_handlers".
inline std::string describe_library_threads(const std::vector<ThreadStack>& threads) {
  constexpr std::size_t kCallsShown = 4;
  std::string out;
  for (const ThreadStack& thread : threads) {
    if (watcher_thread(thread)) continue;
    std::string calls;
    std::size_t shown = 0;
    for (const Frame& frame : thread.frames) {
      if (shown == kCallsShown) break;
      if (frame.function.empty() || frame.function == "??") continue;
      calls += (shown++ == 0 ? "" : " < ") + frame.function;
    }
    if (!calls.empty()) {
      out += "thread " + std::to_string(thread.number) + ", outside the program's files, in " + calls + "\n";
    }
  }
  return out;
}

// One line per thread that has a frame in the program's own files (its innermost such frame),
// then how many threads had none. When no thread has one, describe_library_threads() instead;
// empty when `threads` is (gdb gave nothing).
inline std::string describe_threads(const std::vector<ThreadStack>& threads) {
  std::string out;
  int elsewhere = 0;
  for (const ThreadStack& thread : threads) {
    if (watcher_thread(thread)) continue;
    std::size_t own = 0;
    while (own < thread.frames.size() && !own_frame(thread.frames[own])) ++own;
    if (own == thread.frames.size()) {
      ++elsewhere;
      continue;
    }
    const Frame& frame = thread.frames[own];
    const std::string_view file = std::string_view(frame.file).substr(frame.file.rfind('/') + 1);
    out += "thread " + std::to_string(thread.number) + " " + std::string(activity(thread.frames, own)) + ", in " +
           frame.function + " at " + std::string(file) + ":" + std::to_string(frame.line) + "\n";
  }
  if (!out.empty() && elsewhere > 0) {
    out += "(" + std::to_string(elsewhere) + " more thread" + (elsewhere > 1 ? "s" : "") +
           " outside the program's files)\n";
  }
  if (out.empty()) out = describe_library_threads(threads);
  return out;
}

// gdb's `thread apply all bt` of process `pid`, or "" when gdb is not installed, cannot attach or
// does not finish within `limit` (then it is killed). The process is stopped while gdb reads it
// and continues afterwards. May be called on the calling process itself. Blocks up to `limit`.
inline std::string gdb_stacks(pid_t pid, std::chrono::seconds limit) {
  std::string out_path = "/tmp/parlab-stacks-" + std::string(6, 'X');  // mkstemp makes the six X unique
  const int out_fd = ::mkstemp(out_path.data());
  if (out_fd < 0) return {};
  ::close(out_fd);
  // Ubuntu's Yama lets a process be traced only by its ancestors unless it says otherwise.
  if (pid == ::getpid()) ::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);

  const std::string pid_text = std::to_string(pid);
  // Absolute file names: the program's sources then start with "/", while the C library's stay
  // relative to its build tree ("./nptl/...") and the system's headers are under /usr.
  const char* argv[] = {"gdb",
                        "-p",
                        pid_text.c_str(),
                        "-batch",
                        "-nx",
                        "-q",
                        "-ex",
                        "set pagination off",
                        "-ex",
                        "set filename-display absolute",
                        "-ex",
                        "thread apply all bt",
                        nullptr};
  posix_spawn_file_actions_t files;
  ::posix_spawn_file_actions_init(&files);
  ::posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_TRUNC, 0);
  ::posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attributes;
  ::posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  ::posix_spawnattr_setsigmask(&attributes, &none);
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  pid_t gdb = 0;
  const int spawned = ::posix_spawnp(&gdb, "gdb", &files, &attributes, const_cast<char* const*>(argv), environ);
  ::posix_spawn_file_actions_destroy(&files);
  ::posix_spawnattr_destroy(&attributes);

  std::string text;
  if (spawned == 0) {
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, gdb, 0));
    pollfd done{pidfd, POLLIN, 0};
    const bool finished = pidfd >= 0 && ::poll(&done, 1, static_cast<int>(limit.count() * 1000)) > 0;
    if (!finished) ::kill(gdb, SIGKILL);
    int status = 0;
    while (::waitpid(gdb, &status, 0) < 0 && errno == EINTR) {
    }
    if (pidfd >= 0) ::close(pidfd);
    if (finished) {
      std::ifstream in(out_path);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  ::unlink(out_path.c_str());
  return text;
}

}  // namespace parlab::testing
