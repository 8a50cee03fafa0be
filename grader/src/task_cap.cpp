// Grader: the cgroup pids cap on a child's tasks (see task_cap.hpp).
#include "task_cap.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& text, char by) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, by);) parts.push_back(part);
  return parts;
}

// The folder of the grader's own cgroup in the hierarchy that has the pids controller, or why
// there is none. /proc/self/mountinfo names the mounts ("<id> <parent> <dev> <root> <mount
// point> <options> ... - <fstype> <source> <super options>"); /proc/self/cgroup names the
// grader's place in each hierarchy ("<id>:<controllers>:<path>", v2's controllers empty).
struct PidsHome {
  fs::path dir;
  std::string problem;
};

PidsHome find_pids_home() {
  // For the tests of the fallback, and for an instructor who wants to see it on a machine
  // that has the cgroup.
  if (const char* forced = std::getenv("PARLAB_TASK_CAP"); forced != nullptr && std::string(forced) == "rlimit") {
    return {{}, "PARLAB_TASK_CAP=rlimit turned the pids cgroup off"};
  }
  std::optional<fs::path> v1_mount, v2_mount;
  std::string v1_root = "/", v2_root = "/";
  std::ifstream mounts("/proc/self/mountinfo");
  for (std::string line; std::getline(mounts, line);) {
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    const std::vector<std::string> left = split(line.substr(0, dash), ' ');
    const std::vector<std::string> right = split(line.substr(dash + 3), ' ');
    if (left.size() < 5 || right.size() < 3) continue;
    if (right[0] == "cgroup2") {
      v2_mount = left[4];
      v2_root = left[3];
    } else if (right[0] == "cgroup") {
      for (const std::string& option : split(right[2], ',')) {
        if (option == "pids") {
          v1_mount = left[4];
          v1_root = left[3];
        }
      }
    }
  }
  std::ifstream groups("/proc/self/cgroup");
  for (std::string line; std::getline(groups, line);) {
    const std::vector<std::string> fields = split(line, ':');
    if (fields.size() < 3) continue;
    const bool v1_pids = v1_mount && std::ranges::count(split(fields[1], ','), std::string("pids")) > 0;
    const bool v2 = !v1_mount && v2_mount && fields[0] == "0" && fields[1].empty();
    if (!v1_pids && !v2) continue;
    std::string path = fields[2];
    const std::string& root = v1_pids ? v1_root : v2_root;
    if (root != "/" && path.starts_with(root)) path = path.substr(root.size());
    return {(v1_pids ? *v1_mount : *v2_mount) / fs::path(path).relative_path(), ""};
  }
  return {{}, "no pids cgroup is mounted"};
}

// The cgroups of the children running now, for the interrupt path, which must remove them
// while the threads that own them are stopped mid-run.
std::mutex live_mutex;
std::set<fs::path> live_dirs;
bool interrupted = false;  // then no cap is made any more: the process is exiting

// SIGKILL to every process in the cgroup `dir` and in the cgroups under it.
void kill_every_process_in(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) kill_every_process_in(it->path());
  }
  std::ifstream procs(dir / "cgroup.procs");
  for (pid_t pid = 0; procs >> pid;) ::kill(pid, SIGKILL);
}

// Removes the cgroup `dir` and any cgroups a task made under it, deepest first, retrying while the
// last tasks are still leaving (they stay listed a moment after being reaped), and killing them
// again when `kill_latecomers` (on interrupt, a child forked a moment ago may join only now).
// A cgroup is a folder that rmdir removes only once it has no task and no sub-cgroup.
void remove_cgroup_tree(const fs::path& dir, bool kill_latecomers = false) {
  std::error_code ec;
  std::vector<fs::path> below;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) below.push_back(it->path());
  }
  std::ranges::sort(below, std::greater<>());  // a sub-cgroup sorts after its parent
  below.push_back(dir);
  for (const fs::path& cgroup : below) {
    for (int attempt = 0; attempt < 100 && ::rmdir(cgroup.c_str()) != 0 && errno == EBUSY; ++attempt) {
      if (kill_latecomers) kill_every_process_in(cgroup);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

// Whether `dir` is a cap (named parlab-<pid>-<n>) made by a grader that has ended; false for a
// live grader's cap and for a folder that is not a cap.
bool made_by_dead_grader(const fs::path& dir) {
  const std::string name = dir.filename().string();
  if (!name.starts_with("parlab-")) return false;
  const auto dash = name.find('-', 7);
  if (dash == std::string::npos) return false;
  pid_t owner = 0;
  const auto [end, error] = std::from_chars(name.data() + 7, name.data() + dash, owner);
  if (error != std::errc() || end != name.data() + dash || owner <= 0) return false;
  return ::kill(owner, 0) != 0 && errno == ESRCH;
}

// Removes the cap `dir` of a dead grader when nothing runs in it, after the caps of dead graders
// nested in it. A single rmdir each, no retry: a cap with a task in it, or with a live grader's
// cap inside, stays.
void remove_if_abandoned(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && made_by_dead_grader(it->path())) remove_if_abandoned(it->path());
  }
  ::rmdir(dir.c_str());
}

// Where the grader sits in the cgroups does not change while it runs: read the mounts once, not
// once per child (a grading run starts hundreds).
const PidsHome& pids_home() {
  static const PidsHome home = find_pids_home();
  return home;
}

}  // namespace

fs::path task_cap_home() { return pids_home().dir; }

std::vector<fs::path> task_caps_of_dead_graders() {
  std::vector<fs::path> left;
  const fs::path& home = pids_home().dir;
  std::error_code ec;
  for (fs::directory_iterator it(home, ec), end; !home.empty() && !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && made_by_dead_grader(it->path())) left.push_back(it->path());
  }
  return left;
}

void sweep_task_caps_of_dead_graders() {
  for (const fs::path& dir : task_caps_of_dead_graders()) remove_if_abandoned(dir);
}

TaskCap::TaskCap(unsigned max_tasks) {
  if (max_tasks == 0) return;
  const PidsHome& home = pids_home();
  if (!home.problem.empty()) return;
  static const bool swept = (sweep_task_caps_of_dead_graders(), true);
  (void)swept;
  static std::atomic<unsigned> made{0};
  // Held from mkdir to the registry, so an interrupt never finds a cgroup it does not know of.
  const std::lock_guard lock(live_mutex);
  if (interrupted) return;
  const fs::path dir = home.dir / ("parlab-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
  std::error_code ec;
  if (!fs::create_directory(dir, ec)) return;
  // Without pids.max the controller is not enabled for this subtree (cgroup v2 without delegation).
  if (!fs::exists(dir / "pids.max") || !write_text(dir / "pids.max", std::to_string(max_tasks))) {
    fs::remove(dir, ec);
    return;
  }
  procs_fd_ = ::open((dir / "cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (procs_fd_ < 0) {
    fs::remove(dir, ec);
    return;
  }
  dir_ = dir;
  live_dirs.insert(dir_);
}

TaskCap::~TaskCap() {
  if (procs_fd_ < 0) return;
  ::close(procs_fd_);
  // Removed under the lock, then forgotten: an interrupt arriving meanwhile waits for the rmdir
  // instead of exiting in the middle of it (which left the cgroup behind).
  const std::lock_guard lock(live_mutex);
  remove_cgroup_tree(dir_);
  live_dirs.erase(dir_);
}

void remove_task_caps_after_interrupt() {
  const std::lock_guard lock(live_mutex);  // held to the end: no child starts or ends meanwhile
  interrupted = true;
  for (const fs::path& dir : live_dirs) kill_every_process_in(dir);
  for (const fs::path& dir : live_dirs) remove_cgroup_tree(dir, true);
  live_dirs.clear();
}

void TaskCap::join_from_child() const {
  if (procs_fd_ < 0) return;
  // "0" is the writer itself, in v1 and v2 alike.
  [[maybe_unused]] const ssize_t written = ::write(procs_fd_, "0", 1);
}

void TaskCap::kill_all() const {
  if (procs_fd_ < 0) return;
  kill_every_process_in(dir_);
}

unsigned TaskCap::process_count() const {
  if (procs_fd_ < 0) return 0;
  // v1 documents that cgroup.procs may list a process twice.
  std::set<pid_t> pids;
  std::ifstream procs(dir_ / "cgroup.procs");
  for (pid_t pid = 0; procs >> pid;) pids.insert(pid);
  return static_cast<unsigned>(pids.size());
}

bool TaskCap::was_hit() const {
  if (procs_fd_ < 0) return false;
  // pids.events: "max <how many times a fork was refused>". Newer v2 kernels count there the
  // refusals of nested cgroups too (a grader's tests' caps inside its own); pids.events.local,
  // where it exists, counts this cap's own.
  const fs::path local = dir_ / "pids.events.local";
  std::ifstream events(fs::exists(local) ? local : dir_ / "pids.events");
  std::string key;
  unsigned long long refused = 0;
  while (events >> key >> refused) {
    if (key == "max") return refused > 0;
  }
  return false;
}

std::string task_cap_unavailable_reason() {
  static const std::string reason = [] {
    const TaskCap probe(64);
    if (probe.active()) return std::string();
    const PidsHome& home = pids_home();
    return home.problem.empty() ? "the pids cgroup " + home.dir.string() + " is not writable here" : home.problem;
  }();
  return reason;
}

}  // namespace parlab::grader
