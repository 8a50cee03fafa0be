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
#include "report.hpp"

namespace parlab::grader {

// Below this many cores busy, a run used one core: whatever it did, it did not run in parallel.
inline constexpr double kOneCore = 1.15;

double median(std::vector<double> values);

struct SpeedupEstimate {
  double ratio = 0;  // the median over the rounds of baseline / student
  double low = 0;    // 95% bootstrap interval of that median
  double high = 0;
};

// Each round's speedup: its baseline run over its student run. The two ran back to back, so a
// machine that drifts (a neighbour on the host, a laptop's clock) slows both alike and the
// ratio keeps; comparing all baseline runs with all student runs would count the drift as noise.
// Throws std::invalid_argument unless both hold the same number of runs, at least one.
std::vector<double> round_speedups(const std::vector<double>& baseline_seconds,
                                   const std::vector<double>& student_seconds);

// The rounds' speedups, resampled as rounds; `seed` makes the interval reproducible.
SpeedupEstimate estimate_speedup(const std::vector<double>& baseline_seconds,
                                 const std::vector<double>& student_seconds, std::uint64_t seed, int resamples = 2000);

enum class TimingDecision { pass, fail, need_more_rounds };

// pass when the whole interval clears the bar, fail when all of it is below, else more rounds.
TimingDecision decide(const SpeedupEstimate& estimate, double required);

// What this machine showed it can deliver, just before timing: from calibration
// (calibration.hpp) and from the baseline's warm-up run. The defaults assume a perfect machine.
struct Capacity {
  double cpu_efficiency = 1;  // the calibrated fraction of its cores the machine gives now
  double round_trip_s = 0;    // one loopback request to the fixture, at least
  double baseline_s = 0;      // the baseline's warm-up run: wall time
  double baseline_cpu_s = 0;  // and CPU time
  double wait_floor_s = 0;    // the workload's own least waiting time, when it knows (bench.hpp)
  double fixed_s = 0;         // the baseline at size 0: start-up that no worker count shortens
                              // (4.3: mpirun's launch); Amdahl's serial part
  double server_cpu_s = 0;    // the fixture's CPU time serving the baseline: on its one thread,
                              // no worker count shortens it
};

struct Requirement {
  double speedup = 0;        // the bar; 0 when skipped
  double ideal = 0;          // the best speedup this plan allows on this machine's cores
  double achievable = 0;     // the best this machine delivers now: ideal, lowered by calibration
  double floor_s = 0;        // io: the least time the work can take here (see required_speedup)
  unsigned workers = 1;      // what the student's code is run with
  std::string skipped;       // why there is no bar on this machine, else empty
  std::string unmeasurable;  // why calibration says no speedup can show now, else empty
  std::string basis;         // how the bar follows from the machine, in words
};

// The best speedup `workers` can give this plan on a machine with `cores` usable cores:
// min(cores, workers) for cpu work, size / ceil(size / workers) for io (the waits overlapped
// in waves), 0 for a fixed bar (its gain is not parallelism, so workers promise nothing).
double ideal_speedup(const TimingPlan& plan, unsigned workers, unsigned cores);

// The bar for this plan on a machine with `cores` usable cores (see Bar in manifest.hpp), as
// a fraction of what `capacity` shows is achievable, capped by the plan's own ideal:
//   cpu: achievable = baseline / (fixed + (baseline - fixed) / (ideal x calibrated share)),
//        Amdahl's law with the baseline's fixed start-up as the serial part;
//        bar = 1 + efficiency x (achievable - 1).
//   io:  the baseline's time splits into CPU and waiting; at best the waits overlap in
//        ceil(size / workers) waves (each no shorter than a loopback round trip), or take the
//        workload's own wait floor where it knows one; the fixture's own CPU time (one thread)
//        cannot shrink, so the floor is at least that; the client's CPU part spreads over the
//        cores and comes on top: that is floor_s, and achievable = baseline / floor_s, at most the ideal;
//        bar = efficiency x achievable.
Requirement required_speedup(const TimingPlan& plan, unsigned cores, const Capacity& capacity = {});

// What the student's timed runs showed besides their time, at their peaks.
struct Observed {
  unsigned threads = 0;         // of the bench process, sampled
  std::uint64_t in_flight = 0;  // requests at the fixture at once
  std::uint64_t rss_bytes = 0;  // the bench process's resident memory (rusage)
  unsigned processes = 0;       // of its tree (it, its pool's workers, MPI's ranks), sampled
};

// Empty when the student's runs showed what `evidence` asks for; otherwise why not, for the
// student ("9 threads at once: ...").
std::string evidence_problem(const Evidence& evidence, const Observed& observed);

// Everything the timed rounds of one workload recorded.
struct TimingSamples {
  std::vector<double> baseline, student;  // seconds, one per round
  std::vector<double> cores_busy;         // the student's rounds: CPU time over wall time
  std::vector<double> busy_elsewhere;     // cores other programs kept busy meanwhile
  Observed peaks;                         // the student's rounds, at their peaks
  bool in_flight_counted = false;         // peaks.in_flight is real: the exercise uses the fixture
};

struct TimingJudgement {
  Verdict verdict = Verdict::inconclusive;
  std::string reason;    // why it is not a pass, for the student; empty for a pass
  std::string evidence;  // what showed parallelism: "1.97 cores busy, 3 threads, 1 process"
  SpeedupEstimate estimate;
  double cores_busy = 0, busy_elsewhere = 0;  // medians over the student's rounds
  double variation = 0;                       // coefficient of variation of the rounds' speedups
  // A verdict short of a pass that a noisy moment could have caused: a fail whose times fell
  // short, or whose cores looked idle, but that was not serial by its own figures and kept to
  // the plan; or any inconclusive. Such a verdict stands only if a second, independent
  // measurement agrees (see measure_confirmed in bench_checks.cpp).
  bool noise_could_explain = false;
};

// The verdict on a finished set of rounds. A pass needs the interval above the bar AND the
// evidence that the work ran in parallel (cpu: more than one core busy; io: more than one
// request in flight); a fail names what is missing. A machine busy elsewhere turns a fail
// into inconclusive; so does an interval that straddles the bar, unless the runs kept one
// core busy (a sequential run cannot hide behind noise). `cores` and `load` go into the
// advice. Pure: the same samples always give the same judgement.
TimingJudgement judge_timing(const TimingPlan& plan, const Requirement& bar, const TimingSamples& samples,
                             unsigned cores, double load, std::uint64_t seed);

// True once the rounds so far prove the run serial (one thread in one process, and one core
// busy or one request in flight): its verdict is a fail whatever later rounds show, so the
// grader stops timing it early.
bool surely_serial(const TimingPlan& plan, const TimingSamples& samples);

}  // namespace parlab::grader
