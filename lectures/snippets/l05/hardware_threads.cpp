// Lecture snippet (lecture 5): how many CPUs this machine has, counted three ways, and what they
// are. The count online (std::thread::hardware_concurrency), the count this process may use (its
// affinity mask) and its cgroup's CPU quota; then the topology the kernel reports under
// /sys/devices/system/cpu: which CPUs are hardware threads of one core. Last, a test of what the
// topology claims: a CPU-bound loop alone on one CPU, then on two CPUs at once, timed per step of
// its own CPU time. Two hardware threads of one core share that core's units and slow each other
// down; two cores do not.
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "lawn.hpp"
#include "machine.hpp"

namespace fs = std::filesystem;

// The first line of a small text file (sysfs, procfs), or "" when it cannot be read.
std::string first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// One line of /proc/cpuinfo, e.g. "model name" or "flags", for the first CPU.
std::string cpuinfo(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0 && line.find(':') != std::string::npos) return line.substr(line.find(':') + 2);
  }
  return "";
}

// The quota as the cgroup's own root shows it (what a container sees): cgroup v2's cpu.max, else
// v1's cfs_quota_us over cfs_period_us. "none" when unlimited.
std::string cpu_quota() {
  std::string max = first_line("/sys/fs/cgroup/cpu.max");  // v2: "<quota> <period>" or "max <period>"
  long long quota = -1, period = 0;
  if (!max.empty()) {
    if (max.rfind("max", 0) != 0 && std::sscanf(max.c_str(), "%lld %lld", &quota, &period) != 2) quota = -1;
  } else {
    const std::string q = first_line("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
    const std::string p = first_line("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    if (!q.empty() && !p.empty()) quota = std::stoll(q), period = std::stoll(p);
  }
  if (quota <= 0 || period <= 0) return "none";
  char text[64];
  std::snprintf(text, sizeof text, "%.2f CPUs' worth of time",
                static_cast<double>(quota) / static_cast<double>(period));
  return text;
}

struct Cpu {
  int number = 0;
  std::string package, core, siblings;  // siblings: the CPUs that share this one's core, "0,4" or "0-1"
};

std::vector<Cpu> online_topology() {
  std::vector<Cpu> cpus;
  for (const fs::directory_entry& entry : fs::directory_iterator("/sys/devices/system/cpu")) {
    const std::string name = entry.path().filename();
    if (name.size() < 4 || name.rfind("cpu", 0) != 0 || name.find_first_not_of("0123456789", 3) != std::string::npos) {
      continue;
    }
    const fs::path topology = entry.path() / "topology";
    if (!fs::exists(topology / "thread_siblings_list")) continue;  // offline CPUs have no topology
    cpus.push_back({std::stoi(name.substr(3)), first_line(topology / "physical_package_id"),
                    first_line(topology / "core_id"), first_line(topology / "thread_siblings_list")});
  }
  std::sort(cpus.begin(), cpus.end(), [](const Cpu& a, const Cpu& b) { return a.number < b.number; });
  return cpus;
}

// ---- the test: nanoseconds per step of CPU time, alone and in pairs ----

constexpr std::uint64_t kSteps = 40'000'000;

// Independent steps, which the core overlaps, several in flight at once: the loop keeps the core's
// multiplier busy, the very unit that two hardware threads of one core would have to take turns on.
// (A chain of dependent steps would leave it idle between steps, and hide the sharing.)
std::uint64_t busy_loop(std::uint64_t seed) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < kSteps; ++i) {
    sum += l05::mix(i ^ seed);
  }
  return sum;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct Run {
  double ns_per_step = 0;  // this thread's CPU time per step: the core's speed while it ran
  double share = 0;        // CPU time over wall time: how much of the time it had a CPU at all
  std::uint64_t answer = 0;
};

// Runs the loop on one thread per CPU in `cpus`, all at once, each pinned to its CPU. Per-step
// times are taken over CPU time, so a thread that waited for another user's work loses share,
// not speed; a thread slowed by a busy sibling hardware thread loses speed.
std::vector<Run> run_pinned(const std::vector<int>& cpus) {
  std::vector<Run> runs(cpus.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < cpus.size(); ++t) {
      threads.emplace_back([&runs, &cpus, t] {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpus[t], &set);
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);
        const auto wall0 = std::chrono::steady_clock::now();
        const double cpu0 = thread_cpu_seconds();
        runs[t].answer = busy_loop(t + 1);
        const double cpu = thread_cpu_seconds() - cpu0;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        runs[t].ns_per_step = cpu / static_cast<double>(kSteps) * 1e9;
        runs[t].share = cpu / wall;
      });
    }
  }
  return runs;
}

// The fastest of three tries at each position: the run least disturbed by the rest of the machine.
std::vector<Run> best_of_3(const std::vector<int>& cpus) {
  std::vector<Run> best = run_pinned(cpus);
  for (int attempt = 1; attempt < 3; ++attempt) {
    const std::vector<Run> runs = run_pinned(cpus);
    for (std::size_t t = 0; t < runs.size(); ++t) {
      if (runs[t].ns_per_step < best[t].ns_per_step) best[t] = runs[t];
    }
  }
  return best;
}

int main() {
  l05::print_machine();
  std::printf("std::thread::hardware_concurrency(): %u (CPUs online)\n", std::thread::hardware_concurrency());
  std::printf("sched_getaffinity:                  %d (CPUs this process may run on)\n", l05::usable_cpus());
  std::printf("cgroup CPU quota:                   %s\n", cpu_quota().c_str());
  std::printf("model: %s%s\n", cpuinfo("model name").c_str(),
              cpuinfo("flags").find("hypervisor") != std::string::npos ? ", in a virtual machine" : "");

  const std::vector<Cpu> cpus = online_topology();
  std::map<std::string, std::vector<int>> cores;  // key: package and siblings list; one entry per core
  for (const Cpu& cpu : cpus) {
    std::printf("cpu%-3d package %s, core %s, thread_siblings_list %s\n", cpu.number, cpu.package.c_str(),
                cpu.core.c_str(), cpu.siblings.c_str());
    cores[cpu.package + "/" + cpu.siblings].push_back(cpu.number);
  }
  std::printf("%zu CPUs on %zu cores: %s\n", cpus.size(), cores.size(),
              cpus.size() > cores.size() ? "some cores run two hardware threads (SMT, hyperthreading)"
                                         : "one hardware thread per core");
  if (cpus.empty()) return 1;

  // Pairs to test: two hardware threads of one core, if there is such a core; two separate cores.
  std::vector<std::pair<const char*, std::vector<int>>> pairs;
  for (const auto& [key, members] : cores) {
    if (members.size() >= 2) {
      pairs.push_back({"same core", {members[0], members[1]}});
      break;
    }
  }
  if (cores.size() >= 2)
    pairs.push_back({"two cores", {cores.begin()->second[0], std::next(cores.begin())->second[0]}});

  const Run alone = best_of_3({cpus[0].number})[0];
  std::printf("alone on cpu%d:        %.2f ns a step (had a CPU %3.0f%% of the time)\n", cpus[0].number,
              alone.ns_per_step, alone.share * 100);
  bool same = true;
  for (const auto& [label, pair] : pairs) {
    const std::vector<Run> runs = best_of_3(pair);
    std::printf(
        "%-9s cpu%d+cpu%d: %.2f and %.2f ns a step, %.2fx and %.2fx the time alone (had a CPU %3.0f%% and %3.0f%%)\n",
        label, pair[0], pair[1], runs[0].ns_per_step, runs[1].ns_per_step, runs[0].ns_per_step / alone.ns_per_step,
        runs[1].ns_per_step / alone.ns_per_step, runs[0].share * 100, runs[1].share * 100);
    same = same && runs[0].answer == alone.answer;
  }
  if (pairs.empty()) std::printf("one CPU: no pair to compare\n");
  std::printf("%s\n", same ? "the same answer alone and in pairs" : "the answers differ");
  return same ? 0 : 1;
}
