// Grader: `grader scale` (see scale.hpp).
#include "scale.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "bench_checks.hpp"
#include "fixture_server.hpp"
#include "machine.hpp"
#include "manifest.hpp"
#include "speedup_plot.hpp"
#include "supervisor.hpp"
#include "timing.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

std::vector<unsigned> worker_ladder(unsigned cores, unsigned max_workers) {
  std::set<unsigned> ladder{cores, max_workers};
  for (unsigned w = 1; w <= max_workers; w *= 2) ladder.insert(w);
  std::erase_if(ladder, [&](unsigned w) { return w == 0 || w > max_workers; });
  return {ladder.begin(), ladder.end()};
}

namespace {

// One rung of the ladder, from paired rounds.
struct Rung {
  double baseline_s = 0;  // median of the baseline's runs at this rung
  double seconds = 0;     // median of the student's runs
  double speedup = 0;     // median of the rounds' ratios
  double cores_busy = 0;  // median of the student's CPU time over wall time
  std::string problem;    // a failed or wrong run: the numbers mean nothing
};

// `rounds` pairs of runs, the baseline and the student's code in turn (which goes first
// alternates), every digest checked against `expected`. A ratio is taken within a pair, so a slow
// minute on a shared machine slows both sides of it instead of one column of the table.
Rung time_rung(const BenchContext& ctx, std::size_t size, unsigned workers, unsigned rounds,
               const std::string& expected) {
  std::vector<double> base, student, ratio, busy;
  for (unsigned round = 0; round < rounds; ++round) {
    BenchRun pair[2];
    for (int turn = 0; turn < 2; ++turn) {
      const bool baseline_turn = (turn == 0) == (round % 2 == 0);
      const char* impl = baseline_turn ? "sequential" : "student";
      BenchRun run = run_bench(ctx, impl, size, ctx.seed, baseline_turn ? 1 : workers,
                               fmt::format("{}-{}w-{}", impl, workers, round));
      if (!run.problem.empty()) return {.problem = run.problem};
      if (run.digest != expected) {
        return {.problem = fmt::format("with {} workers the result differs from the baseline's", workers)};
      }
      pair[baseline_turn ? 0 : 1] = std::move(run);
    }
    base.push_back(pair[0].seconds);
    student.push_back(pair[1].seconds);
    ratio.push_back(pair[0].seconds / pair[1].seconds);
    busy.push_back(pair[1].seconds > 0 ? pair[1].cpu_seconds / pair[1].seconds : 0);
  }
  return {median(base), median(student), median(ratio), median(busy), {}};
}

// One curve: the student's code at each rung of the ladder, each against the baseline.
ScaleSeries scale_variant(const BenchContext& ctx, const Exercise& ex, std::size_t size, const Machine& machine,
                          const std::vector<unsigned>& ladder, unsigned rounds, nlohmann::json& out) {
  ScaleSeries series{ctx.variant, {}};
  const BenchRun warm = run_bench(ctx, "sequential", size, ctx.seed, 1, "warm-seq");
  if (!warm.problem.empty()) throw std::runtime_error("the baseline failed: " + warm.problem);

  const std::string label = ctx.variant.empty() ? "" : fmt::format(" [{}]", ctx.variant);
  fmt::print("\n{}each speedup: the median of {} paired rounds, the baseline and then yours in turn\n",
             label.empty() ? "" : label.substr(1) + ": ", rounds);
  fmt::print("{:>8} {:>10} {:>10} {:>9} {:>7} {:>11} {:>11}\n", "workers", "baseline", "seconds", "speedup", "ideal",
             "efficiency", "cores busy");
  out = {{"variant", ctx.variant}, {"points", nlohmann::json::array()}};
  for (const unsigned workers : ladder) {
    const Rung rung = time_rung(ctx, size, workers, rounds, warm.digest);
    if (!rung.problem.empty()) {
      fmt::print("{:>8} {}\n", workers, rung.problem);
      out["points"].push_back({{"workers", workers}, {"error", rung.problem}});
      continue;
    }
    ScalePoint point{workers, rung.seconds, rung.speedup, ideal_speedup(ex.timing, workers, machine.cores)};
    const std::string ideal = point.ideal > 0 ? fmt::format("{:.2f}x", point.ideal) : "-";
    const std::string efficiency = point.ideal > 0 ? fmt::format("{:.0f}%", 100 * point.speedup / point.ideal) : "-";
    fmt::print("{:>8} {:>9.3f}s {:>9.3f}s {:>8.2f}x {:>7} {:>11} {:>11.2f}\n", workers, rung.baseline_s, point.seconds,
               point.speedup, ideal, efficiency, rung.cores_busy);
    std::fflush(stdout);
    out["points"].push_back({{"workers", workers},
                             {"baseline_s", rung.baseline_s},
                             {"seconds", point.seconds},
                             {"speedup", point.speedup},
                             {"ideal", point.ideal},
                             {"cores_busy", rung.cores_busy}});
    series.points.push_back(point);
  }
  return series;
}

}  // namespace

int run_scale(const ScaleOptions& options) {
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const Exercise& ex = find_exercise(all, options.id);
  const Machine machine = probe_machine();
  const unsigned max_workers = options.max_workers > 0 ? options.max_workers : 2 * machine.cores;
  const auto ladder = worker_ladder(machine.cores, max_workers);
  const std::size_t size = options.size > 0 ? options.size : ex.timing.size;

  const fs::path scratch = make_scratch_dir("parlab-scale");
  const TreeBuild tree = build_one_exercise(options.kit, options.tree, all, ex, scratch);
  std::unique_ptr<fixture::Server> server;
  if (ex.needs_fixture()) server = std::make_unique<fixture::Server>(fixture::Options{.seed = options.seed});
  BenchContext ctx = bench_context(tree.build_dir, ex, options.seed, server.get());

  fmt::print("grader scale {} {} ({}): {} {}s, {} usable cores ({}), load {:.2f}\n", ex.id, ex.title, options.tree,
             size, ex.timing.unit, machine.cores, machine.cores_reason, machine.load);
  nlohmann::json doc = {
      {"id", ex.id},  {"title", ex.title},        {"tree", options.tree},        {"kind", ex.kind},
      {"size", size}, {"rounds", options.rounds}, {"machine", to_json(machine)}, {"series", nlohmann::json::array()}};
  std::vector<ScaleSeries> series;
  const auto variants = ex.timing.variants.empty() ? std::vector<std::string>{""} : ex.timing.variants;
  for (const std::string& variant : variants) {
    BenchContext one = ctx;
    one.variant = variant;
    one.scratch = scratch / "runs" / (variant.empty() ? "default" : variant);
    nlohmann::json figures;
    series.push_back(scale_variant(one, ex, size, machine, ladder, options.rounds, figures));
    doc["series"].push_back(std::move(figures));
  }

  const fs::path out_dir = options.out_dir.empty() ? options.kit.build_root / "scale" : options.out_dir;
  fs::create_directories(out_dir);
  const fs::path json_path = out_dir / fmt::format("scale-{}.json", ex.id);
  const fs::path svg_path = out_dir / fmt::format("scale-{}.svg", ex.id);
  doc["svg"] = svg_path.string();
  std::ofstream(json_path, std::ios::trunc) << doc.dump(2) << '\n';
  const std::string title =
      fmt::format("{} {}: speedup against workers ({}, {} cores)", ex.id, ex.title, options.tree, machine.cores);
  std::ofstream(svg_path, std::ios::trunc) << speedup_svg(title, series, machine.cores);
  fmt::print("\n({} usable cores; ideal: min(cores, workers) for cpu, size / ceil(size / workers) for io)\n",
             machine.cores);
  fmt::print("figures written to {}\nchart written to {}\n", json_path.string(), svg_path.string());
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return 0;
}

}  // namespace parlab::grader
