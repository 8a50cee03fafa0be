// Lecture snippet helper (lecture 5): the line each lecture 5 snippet prints first, so that every
// figure it prints says how many CPUs it had and how busy the machine was at the time.
#pragma once

#include <sched.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

namespace l05 {

// The CPUs this process may run on: its affinity mask, which `taskset` or a container may narrow
// below what the machine has online.
inline int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}

// "2 CPUs online, 2 usable here, load average 2.41". The load average is the number of threads
// that wanted a CPU, averaged over the last minute, every user's counted: above the CPU count,
// someone waits.
inline void print_machine() {
  double load = -1;
  if (getloadavg(&load, 1) != 1) load = -1;
  std::printf("%u CPUs online, %d usable here, load average %.2f\n", std::thread::hardware_concurrency(), usable_cpus(),
              load);
}

}  // namespace l05
