// Lecture snippet helper: CPU time of this process, to print beside wall time as "cores busy".
#pragma once

#include <sys/resource.h>

// User + system time of every thread of this process so far (an in-process fixture server
// included), in seconds. CPU time over wall time is how many cores were busy meanwhile.
inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}
