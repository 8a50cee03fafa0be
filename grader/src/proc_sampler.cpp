// Grader: the /proc sampler (see proc_sampler.hpp).
#include "proc_sampler.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <set>

namespace parlab::grader {
namespace {

// A /proc file, whole: they are small (a children file of a fork storm excepted), and made up
// afresh at each open. Empty when it is gone.
std::string read_text(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(got));
  ::close(fd);
  return text;
}

// The numbered entries of a /proc folder (pids, tids), ascending; empty once it is gone.
std::vector<int> numbered_entries(const std::string& folder) {
  std::vector<int> out;
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return out;
  while (const dirent* entry = ::readdir(dir)) {
    int id = 0;
    const std::string_view name(entry->d_name);
    if (std::from_chars(name.data(), name.data() + name.size(), id).ptr == name.data() + name.size() && id > 0) {
      out.push_back(id);
    }
  }
  ::closedir(dir);
  std::sort(out.begin(), out.end());
  return out;
}

// The pids in a /proc/<pid>/task/<tid>/children file: "4711 4712 ".
void append_children(const std::string& text, std::deque<int>& out) {
  const char* at = text.data();
  const char* end = text.data() + text.size();
  while (at < end) {
    int pid = 0;
    const auto [next, error] = std::from_chars(at, end, pid);
    if (error == std::errc{} && pid > 0) out.push_back(pid);
    at = next == at ? at + 1 : next;
  }
}

// A state's rank when one row stands for several threads: running beats waiting on disk beats
// sleeping, so a process row shows what its busiest thread did.
int rank(char state) {
  switch (state) {
    case 'R':
      return 3;
    case 'D':
      return 2;
    case 'S':
      return 1;
    default:
      return 0;
  }
}

// A command name fit for any text: the kernel cuts names at 15 bytes, even inside a UTF-8
// character, and a program may name itself with control characters. Bytes outside printable
// ASCII become '?'.
std::string printable(std::string name) {
  for (char& c : name) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return name;
}

struct ThreadNow {
  StatLine stat;
  double cpu_seconds = 0;
};

std::optional<ThreadNow> read_thread(int pid, int tid, std::deque<int>& children) {
  const std::string dir = fmt::format("/proc/{}/task/{}/", pid, tid);
  auto stat = parse_stat_line(read_text(dir + "stat"));
  if (!stat) return std::nullopt;  // it ended between the listing and now
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  stat->comm = printable(std::move(stat->comm));
  ThreadNow now{*stat, static_cast<double>(stat->utime + stat->stime) / ticks};
  // schedstat's first field is the time on a CPU in nanoseconds: 10 ms ticks are too coarse
  // for 2 ms samples. Some kernels keep it at 0 (no sched_info); then the ticks stand.
  const std::string sched = read_text(dir + "schedstat");
  std::uint64_t ns = 0;
  std::from_chars(sched.data(), sched.data() + sched.size(), ns);
  if (ns > 0) now.cpu_seconds = static_cast<double>(ns) / 1e9;
  append_children(read_text(dir + "children"), children);
  return now;
}

// One process's readings through time: keeps what a process row needs between samples.
class Reader {
 public:
  explicit Reader(int root) : root_(root) {}

  // The readings now; nothing once the watched process is gone or only a zombie.
  std::optional<std::vector<TaskReading>> read() {
    std::vector<TaskReading> out;
    std::deque<int> queue;
    for (const int tid : numbered_entries(fmt::format("/proc/{}/task", root_))) {
      const auto thread = read_thread(root_, tid, queue);
      if (!thread || thread->stat.state == 'Z' || thread->stat.state == 'X') continue;
      out.push_back({root_, tid, false, thread->stat.comm, thread->stat.state, thread->cpu_seconds});
    }
    if (out.empty()) return std::nullopt;

    // Descendants, breadth first: children of any of the root's threads, theirs, and so on.
    std::set<int> seen{root_};
    while (!queue.empty()) {
      const int pid = queue.front();
      queue.pop_front();
      if (!seen.insert(pid).second) continue;
      TaskReading row{pid, pid, true, {}, '?', 0};
      bool alive = false;
      double gained = 0;
      for (const int tid : numbered_entries(fmt::format("/proc/{}/task", pid))) {
        const auto thread = read_thread(pid, tid, queue);
        if (!thread || thread->stat.state == 'Z' || thread->stat.state == 'X') continue;
        if (!alive || tid == pid) row.comm = thread->stat.comm;
        alive = true;
        if (rank(thread->stat.state) > rank(row.state)) row.state = thread->stat.state;
        // Summed as gains since the last sample: a thread that ends takes its total with it,
        // and a row's time must not drop when one of its threads does.
        double& last = thread_cpu_[{pid, tid}];
        gained += std::max(0.0, thread->cpu_seconds - last);
        last = thread->cpu_seconds;
      }
      if (!alive) continue;
      row.cpu_seconds = process_cpu_[pid] += gained;
      out.push_back(std::move(row));
    }
    return out;
  }

 private:
  int root_;
  std::map<std::pair<int, int>, double> thread_cpu_;  // (pid, tid) of a descendant: its last CPU time
  std::map<int, double> process_cpu_;                 // a descendant process row's CPU time so far
};

}  // namespace

unsigned count_process_tree(int root) {
  unsigned count = 0;
  std::deque<int> queue{root};
  std::set<int> seen;
  while (!queue.empty()) {
    const int pid = queue.front();
    queue.pop_front();
    if (!seen.insert(pid).second) continue;
    bool alive = false;
    for (const int tid : numbered_entries(fmt::format("/proc/{}/task", pid))) {
      const std::string dir = fmt::format("/proc/{}/task/{}/", pid, tid);
      const auto stat = parse_stat_line(read_text(dir + "stat"));
      if (!stat || stat->state == 'Z' || stat->state == 'X') continue;
      alive = true;
      append_children(read_text(dir + "children"), queue);
    }
    if (alive) ++count;
  }
  return count;
}

std::optional<StatLine> parse_stat_line(std::string_view line) {
  // "<id> (<comm>) <state> <ppid> <pgrp> <session> <tty> <tpgid> <flags> <minflt> <cminflt>
  //  <majflt> <cmajflt> <utime> <stime> ..."
  const auto open = line.find(" (");
  const auto close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open + 2) return std::nullopt;
  StatLine stat;
  if (std::from_chars(line.data(), line.data() + open, stat.id).ptr != line.data() + open) return std::nullopt;
  stat.comm = std::string(line.substr(open + 2, close - open - 2));

  std::vector<std::string_view> fields;  // fields[0] is field 3, the state
  std::string_view rest = line.substr(close + 1);
  while (fields.size() < 13) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = std::min(rest.find_first_of(" \n"), rest.size());
    fields.push_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  if (fields.size() < 13 || fields[0].size() != 1) return std::nullopt;
  stat.state = fields[0][0];
  const auto number = [](std::string_view text, auto& value) {
    return std::from_chars(text.data(), text.data() + text.size(), value).ptr == text.data() + text.size();
  };
  if (!number(fields[1], stat.parent) || !number(fields[11], stat.utime) || !number(fields[12], stat.stime)) {
    return std::nullopt;
  }
  return stat;
}

ProcSampler::ProcSampler(SamplerOptions options) : options_(std::move(options)) {}

ProcSampler::~ProcSampler() = default;  // the jthread asks its loop to stop, and joins

void ProcSampler::start(int pid) {
  const auto t0 = std::chrono::steady_clock::now();
  thread_ = std::jthread([this, pid, t0](std::stop_token stop) {
    Reader reader(pid);
    auto next = t0;
    while (!stop.stop_requested()) {
      const auto now = std::chrono::steady_clock::now();
      auto tasks = reader.read();
      if (!tasks) break;
      Sample sample{std::chrono::duration<double, std::milli>(now - t0).count(), std::move(*tasks), {}, {}};
      if (options_.in_flight) sample.in_flight = options_.in_flight();
      if (options_.requests) sample.requests = options_.requests();
      samples_.push_back(std::move(sample));
      // On schedule; when the machine made us late, the next sample as soon as possible rather
      // than a burst of them to catch up.
      next = std::max(next + options_.interval, std::chrono::steady_clock::now());
      std::this_thread::sleep_until(next);
    }
  });
}

std::vector<Sample> ProcSampler::finish() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();  // its writes to samples_ happen-before the join returns
  }
  return std::move(samples_);
}

}  // namespace parlab::grader
