// Grader: medians, bootstrap intervals and speedup bars (see timing.hpp).
#include "timing.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
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

SpeedupEstimate estimate_speedup(const std::vector<double>& baseline, const std::vector<double>& student,
                                 std::uint64_t seed, int resamples) {
  SpeedupEstimate estimate;
  estimate.ratio = median(baseline) / median(student);
  std::mt19937_64 rng(seed);
  auto resample_median = [&rng](const std::vector<double>& sample) {
    std::uniform_int_distribution<std::size_t> pick(0, sample.size() - 1);
    std::vector<double> drawn(sample.size());
    for (auto& value : drawn) value = sample[pick(rng)];
    return median(std::move(drawn));
  };
  std::vector<double> ratios(static_cast<std::size_t>(resamples));
  for (auto& ratio : ratios) ratio = resample_median(baseline) / resample_median(student);
  std::sort(ratios.begin(), ratios.end());
  auto quantile = [&ratios](double q) {
    return ratios[static_cast<std::size_t>(q * static_cast<double>(ratios.size() - 1))];
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

Requirement required_speedup(const TimingPlan& plan, unsigned cores) {
  Requirement r;
  const Bar& bar = plan.bar;
  if (bar.model == "fixed") {
    r.workers = plan.workers == 0 ? 1 : plan.workers;
    r.speedup = bar.speedup;
    r.basis = fmt::format("a fixed bar of {:.1f}x, the same on every machine", bar.speedup);
    return r;
  }
  if (bar.model == "io") {
    // Waiting overlaps perfectly at best: `workers` transfers at a time, in ceil(n/w) waves.
    r.workers = plan.workers;
    r.ideal = ideal_speedup(plan, plan.workers, cores);
    r.speedup = bar.efficiency * r.ideal;
    r.basis = fmt::format("{} requests, {} workers: ideal {:.1f}x, times {:.2f}", plan.size, plan.workers, r.ideal,
                          bar.efficiency);
  } else {
    r.workers = plan.workers == 0 ? cores : plan.workers;
    const auto usable = static_cast<unsigned>(ideal_speedup(plan, r.workers, cores));
    if (usable < 2) {
      r.skipped =
          cores < 2 ? "1 usable core: no parallel speedup is possible on this machine" : "the plan runs 1 worker";
      return r;
    }
    r.ideal = usable;
    r.speedup = 1.0 + bar.efficiency * (usable - 1);
    r.basis = fmt::format("{} cores, {} workers: 1 + {:.2f} x {}", cores, r.workers, bar.efficiency, usable - 1);
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
