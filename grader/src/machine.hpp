// Grader: what the machine under the grader can do, which is what the bars are scaled to.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace parlab::grader {

struct Machine {
  unsigned cores = 1;         // usable cores: the affinity mask, bounded by any cgroup CPU quota
  unsigned online_cores = 1;  // what the hardware reports, for the record
  std::string cpu;            // model name from /proc/cpuinfo
  double load = 0;            // 1-minute load average when the run started
  std::string compiler;       // the compiler that built the grader (and the exercises)
  std::string cores_reason;   // how `cores` was found, e.g. "affinity 2, cgroup quota 1.5"
};

Machine probe_machine();

// The 1-minute load average now (/proc/loadavg); 0 where there is none.
double current_load();

// CPU time the whole machine has spent busy since boot, summed over cores (/proc/stat).
// Sampled around a timed run, it tells how much of the machine others were using meanwhile.
double machine_busy_seconds();
nlohmann::json to_json(const Machine& machine);

}  // namespace parlab::grader
