// Grader: the statistics behind a speedup verdict. Pure functions, no processes.
//
// Times on a shared machine are noisy (STACK.md saw identical work take 0.09-0.16 s), so a
// verdict rests on medians of interleaved rounds and a bootstrap confidence interval of their
// ratio, never on one pair of runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "manifest.hpp"

namespace parlab::grader {

double median(std::vector<double> values);

struct SpeedupEstimate {
  double ratio = 0;  // median(baseline) / median(student)
  double low = 0;    // 95% bootstrap interval of that ratio
  double high = 0;
};

// Resamples each side independently; `seed` makes the interval reproducible.
SpeedupEstimate estimate_speedup(const std::vector<double>& baseline_seconds,
                                 const std::vector<double>& student_seconds, std::uint64_t seed, int resamples = 2000);

enum class TimingDecision { pass, fail, need_more_rounds };

// pass when the whole interval clears the bar, fail when all of it is below, else more rounds.
TimingDecision decide(const SpeedupEstimate& estimate, double required);

struct Requirement {
  double speedup = 0;    // the bar; 0 when skipped
  double ideal = 0;      // the best speedup this plan allows on this machine
  unsigned workers = 1;  // what the student's code is run with
  std::string skipped;   // why there is no bar on this machine, else empty
  std::string basis;     // how the bar follows from the machine, in words
};

// The best speedup `workers` can give this plan on a machine with `cores` usable cores:
// min(cores, workers) for cpu work, size / ceil(size / workers) for io (the waits overlapped
// in waves), 0 for a fixed bar (its gain is not parallelism, so workers promise nothing).
double ideal_speedup(const TimingPlan& plan, unsigned workers, unsigned cores);

// The bar for this plan on a machine with `cores` usable cores (see Bar in manifest.hpp).
Requirement required_speedup(const TimingPlan& plan, unsigned cores);

// What the student's timed runs showed besides their time, at their peaks.
struct Observed {
  unsigned threads = 0;         // of the bench process, sampled
  std::uint64_t in_flight = 0;  // requests at the fixture at once
  std::uint64_t rss_bytes = 0;  // the bench process's resident memory (rusage)
};

// Empty when the student's runs showed what `evidence` asks for; otherwise why not, for the
// student ("9 threads at once: ...").
std::string evidence_problem(const Evidence& evidence, const Observed& observed);

}  // namespace parlab::grader
