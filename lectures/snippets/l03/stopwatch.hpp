// Lecture snippet helper (lecture 3): wall time and cores busy for one run of some code.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <utility>

namespace l03 {

// CPU seconds (user + system) of `who`: RUSAGE_SELF for every thread of this process, an
// in-process fixture server included; RUSAGE_CHILDREN for the children reaped so far.
inline double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

inline double cpu_seconds_with_children() { return cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN); }

template <typename Result>
struct Timed {
  Result result;
  double wall = 0;        // seconds
  double cores_busy = 0;  // CPU seconds per wall second, the reaped children's included
};

// Runs `work` once and measures it. Children count only once reaped, so reap them inside `work`.
template <typename Work>
auto timed(Work&& work) -> Timed<decltype(work())> {
  const double cpu0 = cpu_seconds_with_children();
  const auto t0 = std::chrono::steady_clock::now();
  auto result = std::forward<Work>(work)();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {std::move(result), wall, (cpu_seconds_with_children() - cpu0) / wall};
}

}  // namespace l03
