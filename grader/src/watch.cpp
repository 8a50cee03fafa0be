// Grader: rerun an exercise's public tests on every save (see watch.hpp).
#include "watch.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "check.hpp"
#include "grade_run.hpp"
#include "hints.hpp"
#include "supervisor.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// One key at a time without Enter, and no echo, while watching a terminal; restored on the way
// out, Ctrl-C included (the supervision thread runs the cleanup before it exits).
termios saved_terminal;
bool terminal_changed = false;

void restore_terminal() {
  if (terminal_changed) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
}

void keys_without_enter() {
  if (::isatty(STDIN_FILENO) == 0 || ::tcgetattr(STDIN_FILENO, &saved_terminal) != 0) return;
  termios raw = saved_terminal;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
    terminal_changed = true;
    std::atexit(restore_terminal);
    at_interrupt(restore_terminal);
  }
}

class Inotify {
 public:
  explicit Inotify(const fs::path& dir) : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error(fmt::format("inotify: {}", std::strerror(errno)));
    // Editors save in place (close after write) or write a new file and rename it over the old.
    if (::inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
      throw std::runtime_error(fmt::format("cannot watch {}: {}", dir.string(), std::strerror(errno)));
    }
  }
  ~Inotify() { ::close(fd_); }
  Inotify(const Inotify&) = delete;
  Inotify& operator=(const Inotify&) = delete;
  int fd() const { return fd_; }

  // Drains the queued events; true when one of them names one of `files`.
  bool touched(const std::vector<std::string>& files) const {
    alignas(inotify_event) std::array<char, 8192> buffer{};
    bool hit = false;
    for (ssize_t got; (got = ::read(fd_, buffer.data(), buffer.size())) > 0;) {
      for (ssize_t at = 0; at < got;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
        if (event->len > 0 && std::find(files.begin(), files.end(), std::string(event->name)) != files.end()) {
          hit = true;
        }
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
    return hit;
  }

 private:
  int fd_;
};

std::string clock_now() { return fmt::format("{:%H:%M:%S}", fmt::localtime(std::time(nullptr))); }

}  // namespace

int run_watch(const WatchOptions& options) {
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const Exercise& ex = find_exercise(all, options.id);
  const bool terminal = ::isatty(STDOUT_FILENO) != 0;
  const CheckOptions check{options.kit, options.id, options.tree};

  auto rerun = [&](const char* why) {
    if (terminal) fmt::print("\x1b[H\x1b[2J");  // in place: each result replaces the last
    fmt::print("{} {}: {} at {}, building and testing...\n", ex.id, ex.title, why, clock_now());
    std::fflush(stdout);
    const CheckResult result = check_exercise(check, terminal);
    fmt::print("\nwatching {}: save to rerun; g full grade, h next hint, Enter rerun, q quit\n",
               (result.exercise_dir / ex.student_files.front()).string());
    std::fflush(stdout);
    return result;
  };

  const CheckResult first = rerun("started");
  Inotify saves(first.exercise_dir);
  keys_without_enter();
  bool keys_open = true;
  for (;;) {
    std::array<pollfd, 2> watched{pollfd{saves.fd(), POLLIN, 0}, pollfd{STDIN_FILENO, POLLIN, 0}};
    const int ready = ::poll(watched.data(), keys_open ? 2 : 1, -1);  // no timeout: idle is free
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("poll: {}", std::strerror(errno)));
    }
    if ((watched[0].revents & POLLIN) != 0 && saves.touched(ex.student_files)) {
      fmt::print("\nsaved at {}\n", clock_now());
      std::fflush(stdout);
      // An editor's save is several events in a burst; the build starts when it is over.
      for (pollfd more{saves.fd(), POLLIN, 0}; ::poll(&more, 1, 150) > 0;) saves.touched(ex.student_files);
      rerun("saved");
    }
    if (!keys_open || watched[1].revents == 0) continue;
    char key = 0;
    if (::read(STDIN_FILENO, &key, 1) != 1) {  // stdin closed: keep watching saves
      keys_open = false;
      continue;
    }
    if (key == 'q') break;
    if (key == 'h') {
      show_hints(HintOptions{options.kit, options.id});
    } else if (key == '\n' || key == 'r') {
      rerun("rerun");
    } else if (key == 'g') {
      if (terminal) fmt::print("\x1b[H\x1b[2J");
      RunOptions grade;
      grade.kit = options.kit;
      grade.ids = {options.id};
      grade.tree = options.tree;
      run_grading(grade);
      fmt::print("\nstill watching: save to rerun the tests; g grade again, h next hint, q quit\n");
    }
    std::fflush(stdout);
  }
  restore_terminal();
  return 0;
}

}  // namespace parlab::grader
