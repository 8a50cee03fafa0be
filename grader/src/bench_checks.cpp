// Grader: differential and speedup checks over bench binaries (see bench_checks.hpp).
#include "bench_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "bench_line.hpp"
#include "calibration.hpp"
#include "fingerprint.hpp"
#include "supervisor.hpp"
#include "test_runner.hpp"
#include "timing.hpp"

namespace parlab::grader {

namespace {

// While the interval straddles the bar, add rounds up to this many times the plan's count.
constexpr unsigned kMaxRoundsFactor = 3;
// Rounds that must agree before a run is judged serial by its figures and the rest are skipped:
// two, so one round's sampling hiccup cannot end the timing.
constexpr unsigned kSerialProofRounds = 2;

}  // namespace

BenchContext bench_context(const std::filesystem::path& build_dir, const Exercise& ex, std::uint64_t seed,
                           fixture::Server* server) {
  BenchContext ctx;
  ctx.build_dir = build_dir;
  ctx.binary = build_dir / "exercises" / ("bench_" + ex.title);
  ctx.timeout = ex.timeout;
  ctx.memory_bytes = ex.memory_mb << 20;
  ctx.seed = seed;
  if (server != nullptr && ex.needs_fixture()) {
    ctx.env["PARLAB_FIXTURE_URL"] = server->url();
    ctx.reset_fixture_stats = [server] { server->reset_stats(); };
    ctx.fixture_peak_in_flight = [server] { return server->stats()["total"].peak_in_flight; };
    ctx.fixture_port = server->port();
    ctx.fixture_cpu_seconds = [server] { return server->cpu_seconds(); };
  }
  return ctx;
}

BenchRun run_bench(const BenchContext& ctx, const std::string& impl, std::size_t size, std::uint64_t seed,
                   unsigned workers, const std::string& run_name) {
  ChildSpec spec;
  spec.program = ctx.binary;
  spec.args = {"--impl",    impl,
               "--size",    std::to_string(size),
               "--seed",    std::to_string(seed),
               "--workers", std::to_string(workers)};
  if (!ctx.variant.empty()) spec.args.insert(spec.args.end(), {"--variant", ctx.variant});
  spec.work_dir = ctx.scratch / run_name;
  spec.env = ctx.env;
  spec.timeout = ctx.timeout;
  spec.memory_bytes = ctx.memory_bytes;
  spec.count_threads = true;
  spec.runs_submission = true;
  spec.on_started = ctx.on_started;
  const double busy_before = machine_busy_seconds();
  const double server_before = ctx.fixture_cpu_seconds ? ctx.fixture_cpu_seconds() : 0;
  const ChildResult child = run_child(spec);
  const double busy = machine_busy_seconds() - busy_before;
  const double server_cpu = ctx.fixture_cpu_seconds ? ctx.fixture_cpu_seconds() - server_before : 0;

  BenchRun run;
  run.peak_threads = child.peak_threads;
  run.peak_processes = child.peak_processes;
  run.server_cpu_s = std::max(0.0, server_cpu);
  run.max_rss_bytes = child.max_rss_bytes;
  // The fixture serves the run from inside this process: its work is the run's, not another program's.
  if (child.wall.count() > 0) {
    run.busy_elsewhere = std::max(0.0, (busy - child.cpu_seconds - run.server_cpu_s) / child.wall.count());
  }
  if (!child.ok()) {
    run.problem = fmt::format("{} run ({} items, {} workers): {}: {}\n{}", impl, size, workers, child.describe(),
                              explain(child), tail_lines(child.stdout_text() + child.stderr_text(), 10));
    return run;
  }
  // The driver prints one JSON line; anything else the code under test printed comes before it.
  const std::string out = child.stdout_text();
  try {
    BenchLine line = parse_bench_output(out);
    run.seconds = line.seconds;
    run.cpu_seconds = line.cpu_seconds;
    run.digest = std::move(line.digest);
    run.bytes = line.bytes;
    run.wait_floor_s = line.wait_floor_s;
  } catch (const std::runtime_error& e) {
    run.problem = fmt::format("{} run printed no usable result line ({}):\n{}", impl, e.what(), tail_lines(out, 5));
  }
  return run;
}

std::vector<std::size_t> differential_sizes(const Exercise& ex, unsigned workers) {
  if (!ex.differential_sizes.empty()) return ex.differential_sizes;
  const std::size_t w = std::max(1u, workers);
  // std::set: sorted, and no size is checked twice when the formulas coincide (workers = 1).
  const std::set<std::size_t> sizes = {0, 1, w > 1 ? w - 1 : 2, w + 1, 2 * w + 3, ex.timing.size};
  return {sizes.begin(), sizes.end()};
}

namespace {

// The exercise's variants, or the one unnamed workload.
std::vector<std::string> variants_of(const Exercise& ex) {
  return ex.timing.variants.empty() ? std::vector<std::string>{""} : ex.timing.variants;
}

// "[threads] " before what is said of one variant, nothing when there are none.
std::string variant_prefix(const std::string& variant) { return variant.empty() ? "" : "[" + variant + "] "; }

// The context for one variant: its name passed on, its runs in a folder of their own.
BenchContext for_variant(const BenchContext& ctx, const std::string& variant) {
  BenchContext one = ctx;
  one.variant = variant;
  if (!variant.empty()) one.scratch = ctx.scratch / variant;
  return one;
}

// Every size for ctx's variant; `cases` counts the comparisons made, across variants. A pass
// has nothing to say yet; the caller sums the cases.
PartResult check_sizes(const BenchContext& ctx, const Exercise& ex, unsigned workers, int& cases) {
  const auto sizes = differential_sizes(ex, workers);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::uint64_t seed = ctx.seed + 1000 + i;  // fresh inputs: not the seeds the tests use
    const std::string name = fmt::format("diff{}", i);
    const BenchRun expected = run_bench(ctx, "sequential", sizes[i], seed, workers, name + "-seq");
    if (!expected.problem.empty()) return PartResult::error("the baseline itself failed: " + expected.problem);
    const BenchRun got = run_bench(ctx, "student", sizes[i], seed, workers, name + "-student");
    ++cases;
    if (!got.problem.empty() || got.digest != expected.digest) {
      PartResult part;
      part.verdict = Verdict::fail;
      part.summary = fmt::format("{}differs at size {}, seed {}", variant_prefix(ctx.variant), sizes[i], seed);
      part.reason = variant_prefix(ctx.variant) +
                    (got.problem.empty() ? fmt::format("with {} items and {} workers the result differs from the "
                                                       "baseline's",
                                                       sizes[i], workers)
                                         : std::string("the student's run failed"));
      part.excerpt = got.problem;
      part.details["cases"] = cases;
      part.details["first_difference"] = {
          {"size", sizes[i]}, {"seed", seed}, {"workers", workers}, {"variant", ctx.variant}};
      return part;
    }
  }
  return PartResult{Verdict::pass, ""};
}

}  // namespace

PartResult check_differential(const BenchContext& ctx, const Exercise& ex, unsigned workers) {
  int cases = 0;
  for (const std::string& variant : variants_of(ex)) {
    PartResult one = check_sizes(for_variant(ctx, variant), ex, workers, cases);
    if (one.verdict != Verdict::pass) return one;
  }
  PartResult part{Verdict::pass, ""};
  part.summary = fmt::format("{} cases match the baseline", cases);
  part.details["cases"] = cases;
  return part;
}

namespace {

// Three lines under every timing verdict, pass or not: what the machine could deliver, the bar
// that follows, and what showed (or did not show) parallelism.
std::string timing_explanation(const Calibration& calibration, const Requirement& bar, const TimingJudgement& judged) {
  std::string machine = fmt::format("calibration: {} threads ran a parallel kernel {:.2f}x faster than 1 ({:.0f}%)",
                                    calibration.threads, calibration.cpu_speedup(), 100 * calibration.cpu_efficiency());
  if (calibration.round_trip_s > 0) {
    machine += fmt::format("; a loopback round trip took {:.2f} ms", calibration.round_trip_s * 1e3);
  }
  return fmt::format("{}\nbar: {} = {:.2f}x\nevidence: {}", machine, bar.basis, bar.speedup, judged.evidence);
}

// The speedup of ctx's variant (or of the one workload), against bars scaled to `calibration`.
PartResult measure_variant(const BenchContext& ctx, const Exercise& ex, const Machine& machine,
                           const Calibration& calibration, const BuildFlags& flags) {
  const TimingPlan plan = ex.timing.of_variant(ctx.variant);
  Requirement bar = required_speedup(plan, machine.cores);
  if (!bar.skipped.empty()) return PartResult::skipped(bar.skipped);
  const std::size_t size = plan.size;
  const std::uint64_t seed = ctx.seed;

  // Warm-up: page cache, fixture connections, CPU frequency. Also the correctness gate: a
  // wrong answer here ends the part before any time is trusted.
  const BenchRun warm_seq = run_bench(ctx, "sequential", size, seed, bar.workers, "warm-seq");
  if (!warm_seq.problem.empty()) return PartResult::error("the baseline failed: " + warm_seq.problem);
  const BenchRun warm_student = run_bench(ctx, "student", size, seed, bar.workers, "warm-student");
  if (!warm_student.problem.empty() || warm_student.digest != warm_seq.digest) {
    PartResult part{Verdict::fail, "a wrong answer earns no speedup points"};
    part.summary = "wrong answer on the timed workload";
    part.excerpt = warm_student.problem;
    return part;
  }
  // The bar this machine allows now: calibration; for cpu work the baseline's fixed start-up
  // (its run on nothing), for io its own split of its time into waiting and CPU.
  double fixed_s = 0;
  if (plan.bar.model == "cpu") {
    const BenchRun empty = run_bench(ctx, "sequential", 0, seed, bar.workers, "warm-empty");
    if (empty.problem.empty()) fixed_s = empty.seconds;
  }
  bar = required_speedup(plan, machine.cores,
                         Capacity{calibration.cpu_efficiency(), calibration.round_trip_s, warm_seq.seconds,
                                  warm_seq.cpu_seconds, warm_seq.wait_floor_s, fixed_s, warm_seq.server_cpu_s});

  TimingSamples samples;
  samples.in_flight_counted = static_cast<bool>(ctx.fixture_peak_in_flight);
  std::uint64_t bytes = 0;
  const unsigned max_rounds = plan.rounds * kMaxRoundsFactor;
  TimingDecision decision = TimingDecision::need_more_rounds;
  for (unsigned round = 0; round < max_rounds && decision == TimingDecision::need_more_rounds; ++round) {
    // Alternate which goes first, so a slow drift of the machine hurts both sides alike.
    for (int turn = 0; turn < 2; ++turn) {
      const bool student_turn = (turn == 0) == (round % 2 == 1);
      if (student_turn && ctx.reset_fixture_stats) ctx.reset_fixture_stats();
      const BenchRun run = run_bench(ctx, student_turn ? "student" : "sequential", size, seed, bar.workers,
                                     fmt::format("round{}-{}", round, student_turn ? "student" : "seq"));
      if (!run.problem.empty() || run.digest != warm_seq.digest) {
        if (!student_turn) return PartResult::error("the baseline failed: " + run.problem);
        PartResult part{Verdict::fail, "a wrong answer earns no speedup points"};
        part.summary = "wrong answer in a timed round";
        part.excerpt = run.problem;
        return part;
      }
      if (!student_turn) {
        samples.baseline.push_back(run.seconds);
        continue;
      }
      samples.student.push_back(run.seconds);
      samples.cores_busy.push_back(run.seconds > 0 ? run.cpu_seconds / run.seconds : 0);
      samples.busy_elsewhere.push_back(run.busy_elsewhere);
      Observed& peaks = samples.peaks;
      peaks.threads = std::max(peaks.threads, run.peak_threads);
      peaks.processes = std::max(peaks.processes, run.peak_processes);
      peaks.rss_bytes = std::max(peaks.rss_bytes, run.max_rss_bytes);
      if (ctx.fixture_peak_in_flight) peaks.in_flight = std::max(peaks.in_flight, ctx.fixture_peak_in_flight());
      bytes = run.bytes;
    }
    if (round + 1 >= plan.rounds) {
      decision = decide(estimate_speedup(samples.baseline, samples.student, seed), bar.speedup);
    } else if (round + 1 >= kSerialProofRounds && surely_serial(plan, samples)) {
      break;  // later rounds cannot change a serial run's verdict; they would only take time
    }
  }

  const TimingJudgement judged = judge_timing(plan, bar, samples, machine.cores, current_load(), seed);
  const SpeedupEstimate& estimate = judged.estimate;
  PartResult part{judged.verdict, judged.reason};
  const double peak_rss_mb = static_cast<double>(samples.peaks.rss_bytes) / (1 << 20);
  part.details = {{"measured", estimate.ratio},
                  {"size", size},
                  {"required", bar.speedup},
                  {"ideal", bar.ideal},
                  {"achievable", bar.achievable},
                  {"ci", {estimate.low, estimate.high}},
                  {"rounds", samples.student.size()},
                  {"workers", bar.workers},
                  {"baseline_seconds", median(samples.baseline)},
                  {"student_seconds", median(samples.student)},
                  {"variation", judged.variation},
                  {"cores_busy", judged.cores_busy},
                  {"busy_elsewhere", judged.busy_elsewhere},
                  {"peak_threads", samples.peaks.threads},
                  {"peak_processes", samples.peaks.processes},
                  {"peak_rss_mb", peak_rss_mb},
                  {"calibration", to_json(calibration)},
                  {"basis", bar.basis},
                  {"evidence", judged.evidence},
                  {"machine", fingerprint(machine, flags)}};
  if (bar.floor_s > 0) part.details["floor_seconds"] = bar.floor_s;
  if (samples.in_flight_counted) part.details["peak_in_flight"] = samples.peaks.in_flight;
  std::string extra;
  if (bytes > 0) {
    part.details["moved_mb"] = static_cast<double>(bytes) / (1 << 20);
    extra =
        fmt::format(", peak memory {:.0f} MB for {:.0f} MB moved", peak_rss_mb, static_cast<double>(bytes) / (1 << 20));
  }
  part.summary = fmt::format("{:.2f}x (need {:.2f}x, 95% CI {:.2f}-{:.2f}){}", estimate.ratio, bar.speedup,
                             estimate.low, estimate.high, extra);
  part.explanation = timing_explanation(calibration, bar, judged);
  if (judged.noise_could_explain) part.details["noise_could_explain"] = true;
  return part;
}

// A fail or an inconclusive that noise could explain (see TimingJudgement) is measured once
// more, calibration and all, before it stands: on a shared machine a burst of other work can
// sink or scatter one set of rounds, and a wrong fail costs a student points, a wrong
// inconclusive a rerun. The second measurement decides, with the first kept beside it. Serial
// code and a run against the plan fail at once, as before.
PartResult measure_confirmed(const BenchContext& ctx, const Exercise& ex, const Machine& machine,
                             const Calibration& calibration, const BuildFlags& flags) {
  PartResult first = measure_variant(ctx, ex, machine, calibration, flags);
  if (!first.details.value("noise_could_explain", false)) return first;
  BenchContext again = ctx;
  again.scratch = ctx.scratch / "second-measurement";
  again.seed = ctx.seed + 1'000'003;
  PartResult second = measure_variant(again, ex, machine, calibrate(machine.cores, ctx.fixture_port), flags);
  second.details["first_measurement"] = first.details;
  second.explanation =
      fmt::format("a first measurement {} ({}), so a second one was taken; it decides:\n{}",
                  first.verdict == Verdict::fail ? "fell short" : "could not decide", first.summary, second.explanation);
  return second;
}

// How bad a verdict is for the whole part: the part is as good as its worst variant.
int badness(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return 0;
    case Verdict::skipped:
      return 1;
    case Verdict::inconclusive:
      return 2;
    case Verdict::fail:
      return 3;
    case Verdict::error:
      return 4;
  }
  return 4;
}

}  // namespace

PartResult measure_speedup(const BenchContext& ctx, const Exercise& ex, const Machine& machine) {
  const BuildFlags flags = read_build_flags(ctx.build_dir);
  if (const std::string refused = untimeable_reason(flags); !refused.empty()) return PartResult::error(refused);
  const Calibration calibration = calibrate(machine.cores, ctx.fixture_port);
  if (ex.timing.variants.empty()) return measure_confirmed(ctx, ex, machine, calibration, flags);
  // The worst variant speaks for the part (its fields stay at the top level, as for one
  // workload); every variant's own figures are under "variants".
  PartResult worst;
  nlohmann::json each = nlohmann::json::object();
  std::vector<std::string> summaries;
  for (const std::string& variant : ex.timing.variants) {
    PartResult one = measure_confirmed(for_variant(ctx, variant), ex, machine, calibration, flags);
    one.details["verdict"] = to_string(one.verdict);
    each[variant] = one.details;
    summaries.push_back(variant_prefix(variant) + (one.summary.empty() ? to_string(one.verdict) : one.summary));
    if (!one.reason.empty()) one.reason = variant_prefix(variant) + one.reason;
    one.details["variant"] = variant;
    if (summaries.size() == 1 || badness(one.verdict) > badness(worst.verdict)) worst = std::move(one);
  }
  worst.details["variants"] = std::move(each);
  worst.summary = fmt::format("{}", fmt::join(summaries, "; "));
  return worst;
}

}  // namespace parlab::grader
