// Grader: medians, bootstrap intervals and speedup bars (see timing.hpp).
#include "timing.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace parlab::grader {

double median(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("median of nothing");
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2 == 1) return *mid;
  return (*mid + *std::max_element(values.begin(), mid)) / 2;
}

std::vector<double> round_speedups(const std::vector<double>& baseline, const std::vector<double>& student) {
  if (baseline.size() != student.size() || baseline.empty()) {
    throw std::invalid_argument("speedups need rounds of one baseline and one student run each");
  }
  std::vector<double> ratios(baseline.size());
  for (std::size_t i = 0; i < ratios.size(); ++i) ratios[i] = student[i] > 0 ? baseline[i] / student[i] : 0;
  return ratios;
}

SpeedupEstimate estimate_speedup(const std::vector<double>& baseline, const std::vector<double>& student,
                                 std::uint64_t seed, int resamples) {
  const std::vector<double> rounds = round_speedups(baseline, student);
  SpeedupEstimate estimate;
  estimate.ratio = median(rounds);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, rounds.size() - 1);
  std::vector<double> medians(static_cast<std::size_t>(resamples));
  std::vector<double> drawn(rounds.size());
  for (auto& resampled : medians) {
    for (auto& value : drawn) value = rounds[pick(rng)];
    resampled = median(drawn);
  }
  std::sort(medians.begin(), medians.end());
  auto quantile = [&medians](double q) {
    return medians[static_cast<std::size_t>(q * static_cast<double>(medians.size() - 1))];
  };
  estimate.low = quantile(0.025);
  estimate.high = quantile(0.975);
  return estimate;
}

TimingDecision decide(const SpeedupEstimate& estimate, double required) {
  if (estimate.low >= required) return TimingDecision::pass;
  if (estimate.high < required) return TimingDecision::fail;
  return TimingDecision::need_more_rounds;
}

double ideal_speedup(const TimingPlan& plan, unsigned workers, unsigned cores) {
  if (plan.bar.model == "io") {
    const double n = static_cast<double>(std::max<std::size_t>(plan.size, 1));
    return n / std::ceil(n / std::max(workers, 1u));
  }
  if (plan.bar.model == "cpu") return std::min(cores, std::max(workers, 1u));
  return 0;
}

namespace {

// Other programs using this many cores, on average during the student's runs, make a CPU
// speedup unmeasurable: a "fail" then says more about the machine than about the code.
constexpr double kBusyElsewhereLimit = 0.3;

}  // namespace

Requirement required_speedup(const TimingPlan& plan, unsigned cores, const Capacity& capacity) {
  Requirement r;
  const Bar& bar = plan.bar;
  const double machine_share = std::clamp(capacity.cpu_efficiency, 0.0, 1.0);
  if (bar.model == "fixed") {
    r.workers = plan.workers == 0 ? 1 : plan.workers;
    r.speedup = bar.speedup;
    r.basis = fmt::format("a fixed bar of {:.1f}x, the same on every machine", bar.speedup);
    return r;
  }
  if (bar.model == "io") {
    r.workers = plan.workers;
    r.ideal = ideal_speedup(plan, plan.workers, cores);
    r.achievable = r.ideal;
    r.basis = fmt::format("{} requests, {} workers: ideal {:.1f}x", plan.size, plan.workers, r.ideal);
    if (capacity.baseline_s > 0) {
      const double n = static_cast<double>(std::max<std::size_t>(plan.size, 1));
      const double waves = std::ceil(n / std::max(plan.workers, 1u));
      const double cpu = std::min(capacity.baseline_cpu_s, capacity.baseline_s);
      const double server = std::min(capacity.server_cpu_s, capacity.baseline_s - cpu);
      const double wait = std::max(capacity.round_trip_s, (capacity.baseline_s - cpu - server) / n);
      const double spread = std::max(1.0, std::min<double>(cores, std::max(plan.workers, 1u)) * machine_share);
      // Waves of the average wait, unless the workload knows its waits differ (4.1's delays).
      const bool known = capacity.wait_floor_s > 0;
      const double waits_s = known ? std::max(capacity.wait_floor_s, waves * capacity.round_trip_s) : waves * wait;
      const std::string waiting = known ? fmt::format("the workload's own waits, {:.1f} ms", waits_s * 1e3)
                                        : fmt::format("{:.0f} waves of {:.1f} ms", waves, wait * 1e3);
      // The server works on one thread, so its part cannot shrink; but it overlaps the waits
      // (it streams while the client waits), so it bounds the floor rather than adding to it.
      r.floor_s = std::max(waits_s, server) + cpu / spread;
      r.achievable = std::min(r.ideal, capacity.baseline_s / r.floor_s);
      r.basis += fmt::format(
          "; floor {:.3f} s (the longer of {} and the server's {:.3f} s on its one thread, then "
          "{:.3f} s of CPU over {:.2f} cores) allows {:.2f}x",
          r.floor_s, waiting, server, cpu, spread, r.achievable);
    }
    r.speedup = bar.efficiency * r.achievable;
    r.basis += fmt::format(", times {:.2f}", bar.efficiency);
  } else {
    r.workers = plan.workers == 0 ? cores : plan.workers;
    const auto usable = static_cast<unsigned>(ideal_speedup(plan, r.workers, cores));
    if (usable < 2) {
      r.skipped =
          cores < 2 ? "1 usable core: no parallel speedup is possible on this machine" : "the plan runs 1 worker";
      return r;
    }
    r.ideal = usable;
    const double cores_given = usable * machine_share;
    const double serial = std::clamp(capacity.fixed_s, 0.0, capacity.baseline_s);
    r.achievable =
        serial > 0 ? capacity.baseline_s / (serial + (capacity.baseline_s - serial) / cores_given) : cores_given;
    r.achievable = std::max(1.0, r.achievable);
    if (r.achievable < kOneCore) {
      r.unmeasurable = fmt::format(
          "calibration found {:.2f}x of a possible {}x just now: other programs hold the cores, so no "
          "speedup can show",
          r.achievable, usable);
    }
    r.speedup = 1.0 + bar.efficiency * (r.achievable - 1);
    const std::string startup =
        serial > 0.01 * capacity.baseline_s
            ? fmt::format(" and {:.3f} s of fixed start-up in {:.3f} s", serial, capacity.baseline_s)
            : "";
    r.basis =
        fmt::format("{} cores, {} workers, calibrated {:.2f} cores{} allow {:.2f}x of {}x: 1 + {:.2f} x ({:.2f} - 1)",
                    cores, r.workers, cores_given, startup, r.achievable, usable, bar.efficiency, r.achievable);
  }
  if (bar.at_most > 0 && r.speedup > bar.at_most) {
    r.speedup = bar.at_most;
    r.basis += fmt::format(", capped at {:.2f}", bar.at_most);
  }
  return r;
}

std::string evidence_problem(const Evidence& evidence, const Observed& observed) {
  const unsigned peak_threads = observed.threads;
  const std::uint64_t peak_in_flight = observed.in_flight;
  if (evidence.max_threads > 0 && peak_threads > evidence.max_threads) {
    return fmt::format("your run had {} threads at once, and this exercise allows {}: do the waiting in one event loop",
                       peak_threads, evidence.max_threads);
  }
  if (evidence.peak_in_flight > 0 && peak_in_flight > evidence.peak_in_flight) {
    return fmt::format("the server saw {} of your requests at once, above the cap of {}", peak_in_flight,
                       evidence.peak_in_flight);
  }
  if (evidence.peak_in_flight > 0 && peak_in_flight < evidence.peak_in_flight) {
    return fmt::format("the server saw at most {} of your requests at once; {} were allowed and expected",
                       peak_in_flight, evidence.peak_in_flight);
  }
  const double rss_mb = static_cast<double>(observed.rss_bytes) / (1 << 20);
  if (evidence.max_rss_mb > 0 && rss_mb > evidence.max_rss_mb) {
    return fmt::format(
        "your run held {:.0f} MB in memory at its peak, above the {} MB allowed: write what arrives "
        "to its file as it arrives, instead of keeping it",
        rss_mb, evidence.max_rss_mb);
  }
  return {};
}

}  // namespace parlab::grader

namespace parlab::grader {
namespace {

double coefficient_of_variation(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0;
  for (const double v : values) squares += (v - mean) * (v - mean);
  return mean > 0 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) / mean : 0;
}

// What showed (or did not show) parallelism, in the words the report prints.
std::string evidence_words(const TimingSamples& s, double busy) {
  std::string words =
      fmt::format("{:.2f} cores busy, {} thread{}, {} process{}", busy, s.peaks.threads,
                  s.peaks.threads == 1 ? "" : "s", s.peaks.processes, s.peaks.processes == 1 ? "" : "es");
  if (s.in_flight_counted) words += fmt::format(", peak {} in flight", s.peaks.in_flight);
  return words;
}

// Empty when the runs show the work was done in parallel, as the plan's model means it;
// otherwise what is missing, first the figure, then its reading.
std::string parallelism_missing(const TimingPlan& plan, const TimingSamples& s, double busy) {
  if (plan.bar.model == "cpu" && busy < kOneCore) {
    return s.peaks.threads > 1 || s.peaks.processes > 1
               ? fmt::format("{:.2f} cores busy: the {} ran one at a time", busy,
                             s.peaks.processes > 1 ? "processes" : "threads")
               : fmt::format("{:.2f} cores busy: the work ran on one thread", busy);
  }
  if (plan.bar.model == "io" && s.in_flight_counted && s.peaks.in_flight <= 1) {
    return fmt::format("{} request in flight at a time: the waits never overlapped", s.peaks.in_flight);
  }
  return "";
}

// One thread in one process that showed no parallelism: serial on any machine, however busy,
// and however many more rounds run.
bool serial_by_its_figures(const std::string& missing, const TimingSamples& s) {
  return !missing.empty() && s.peaks.threads <= 1 && s.peaks.processes <= 1;
}

constexpr const char* kAdvice =
    "close other programs (a browser, a build), plug a laptop in so it does not throttle, and run again";

}  // namespace

TimingJudgement judge_timing(const TimingPlan& plan, const Requirement& bar, const TimingSamples& s, unsigned cores,
                             double load, std::uint64_t seed) {
  TimingJudgement j;
  j.estimate = estimate_speedup(s.baseline, s.student, seed);
  j.cores_busy = median(s.cores_busy);
  j.busy_elsewhere = median(s.busy_elsewhere);
  j.variation = coefficient_of_variation(round_speedups(s.baseline, s.student));
  j.evidence = evidence_words(s, j.cores_busy);
  const TimingDecision decision = decide(j.estimate, bar.speedup);
  const bool crowded = plan.bar.model == "cpu" && j.busy_elsewhere > kBusyElsewhereLimit;
  const std::string missing = parallelism_missing(plan, s, j.cores_busy);
  const std::string times = fmt::format("baseline {:.3f} s, yours {:.3f} s with {} workers", median(s.baseline),
                                        median(s.student), bar.workers);

  j.verdict = decision == TimingDecision::pass   ? Verdict::pass
              : decision == TimingDecision::fail ? Verdict::fail
                                                 : Verdict::inconclusive;
  // A pass needs the evidence too; a run that only looks fast (a cache, a skipped step)
  // does not earn it. Noise cannot make sequential code look parallel either: an interval
  // straddling the bar with one core busy is a fail.
  if (!missing.empty() && (j.verdict == Verdict::pass || j.verdict == Verdict::inconclusive)) {
    j.verdict = Verdict::fail;
  }
  // No noise excuses a run that was serial by its own figures.
  const bool surely_serial = serial_by_its_figures(missing, s);
  if (!surely_serial && j.verdict != Verdict::pass && (crowded || !bar.unmeasurable.empty())) {
    j.verdict = Verdict::inconclusive;
  }

  if (j.verdict == Verdict::fail) {
    j.reason = missing.empty() ? times : fmt::format("{}: {}", times, missing);
  } else if (j.verdict == Verdict::inconclusive && (crowded || !bar.unmeasurable.empty())) {
    j.reason = fmt::format(
        "{}; {:.1f} of {} cores were busy with other programs (load {:.2f}), so its speed "
        "cannot be judged: {}",
        bar.unmeasurable.empty() ? times : bar.unmeasurable, j.busy_elsewhere, cores, load, kAdvice);
  } else if (j.verdict == Verdict::inconclusive) {
    j.reason = fmt::format(
        "the machine was too noisy to decide after {} rounds: the speedup varied by {:.0f}% from round to "
        "round (coefficient of variation), load {:.2f}; {}",
        s.student.size(), 100 * j.variation, load, kAdvice);
  }
  // A fast run that skipped the point of the exercise (threads where one event loop was asked
  // for, a cap ignored) fails whatever its time.
  const std::string against_plan = evidence_problem(plan.evidence, s.peaks);
  if (!against_plan.empty()) {
    j.verdict = Verdict::fail;
    j.reason = against_plan;
  }
  // An inconclusive is never serial nor against the plan (both fail above), so every one counts.
  j.noise_could_explain = j.verdict != Verdict::pass && !surely_serial && against_plan.empty();
  return j;
}

bool surely_serial(const TimingPlan& plan, const TimingSamples& samples) {
  return serial_by_its_figures(parallelism_missing(plan, samples, median(samples.cores_busy)), samples);
}

}  // namespace parlab::grader
