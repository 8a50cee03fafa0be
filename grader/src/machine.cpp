// Grader: probing cores, CPU model and load (see machine.hpp).
#include "machine.hpp"

#include <sched.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

namespace parlab::grader {
namespace {

// A CPU quota in cores, from cgroup v2 (cpu.max) or v1 (cfs_quota_us / cfs_period_us).
std::optional<double> cgroup_quota() {
  if (std::ifstream v2("/sys/fs/cgroup/cpu.max"); v2) {
    std::string quota;
    double period = 0;
    if (v2 >> quota >> period && quota != "max" && period > 0) return std::stod(quota) / period;
    return std::nullopt;
  }
  for (const char* dir : {"/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu"}) {
    std::ifstream quota_file(fmt::format("{}/cpu.cfs_quota_us", dir));
    std::ifstream period_file(fmt::format("{}/cpu.cfs_period_us", dir));
    double quota = 0, period = 0;
    if (quota_file >> quota && period_file >> period && quota > 0 && period > 0) return quota / period;
  }
  return std::nullopt;
}

std::string cpu_model() {
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

}  // namespace

Machine probe_machine() {
  Machine m;
  m.online_cores = static_cast<unsigned>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  cpu_set_t mask;
  CPU_ZERO(&mask);
  unsigned affinity = m.online_cores;
  if (::sched_getaffinity(0, sizeof mask, &mask) == 0) affinity = static_cast<unsigned>(CPU_COUNT(&mask));
  m.cores = affinity;
  m.cores_reason = fmt::format("affinity {}", affinity);
  if (const auto quota = cgroup_quota()) {
    // A quota of 1.5 cores lets 2 threads run at 75%: only whole cores give whole speedups.
    const auto whole = static_cast<unsigned>(std::max(1.0, std::floor(*quota)));
    m.cores = std::min(m.cores, whole);
    m.cores_reason += fmt::format(", cgroup quota {:.2g}", *quota);
  }
  m.cpu = cpu_model();
  m.load = current_load();
  m.compiler = PARLAB_COMPILER;
  return m;
}

double current_load() {
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

double machine_busy_seconds() {
  // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks. Steal counts as
  // busy: the hypervisor gave that time to another machine, so we could not use it either.
  std::ifstream stat("/proc/stat");
  std::string label;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq + steal) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

nlohmann::json to_json(const Machine& m) {
  return {{"cores", m.cores}, {"online_cores", m.online_cores}, {"cores_reason", m.cores_reason}, {"cpu", m.cpu},
          {"load", m.load},   {"compiler", m.compiler}};
}

}  // namespace parlab::grader
