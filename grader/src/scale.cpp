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

struct Medians {
  double seconds = 0;
  double cores_busy = 0;
  std::string problem;  // a failed or wrong run: the numbers mean nothing
};

// `rounds` runs of one implementation; every digest must be `expected` (when given).
Medians time_runs(const BenchContext& ctx, const std::string& impl, std::size_t size, unsigned workers, unsigned rounds,
                  const std::string& expected) {
  std::vector<double> seconds, busy;
  for (unsigned round = 0; round < rounds; ++round) {
    const BenchRun run = run_bench(ctx, impl, size, ctx.seed, workers, fmt::format("{}-{}w-{}", impl, workers, round));
    if (!run.problem.empty()) return {0, 0, run.problem};
    if (!expected.empty() && run.digest != expected) {
      return {0, 0, fmt::format("with {} workers the result differs from the baseline's", workers)};
    }
    seconds.push_back(run.seconds);
    busy.push_back(run.seconds > 0 ? run.cpu_seconds / run.seconds : 0);
  }
  return {median(seconds), median(busy), {}};
}

// One curve: the baseline's median, then the student's code at each rung of the ladder.
ScaleSeries scale_variant(const BenchContext& ctx, const Exercise& ex, std::size_t size, const Machine& machine,
                          const std::vector<unsigned>& ladder, unsigned rounds, nlohmann::json& out) {
  ScaleSeries series{ctx.variant, {}};
  const BenchRun warm = run_bench(ctx, "sequential", size, ctx.seed, 1, "warm-seq");
  if (!warm.problem.empty()) throw std::runtime_error("the baseline failed: " + warm.problem);
  const Medians baseline = time_runs(ctx, "sequential", size, 1, rounds, warm.digest);
  if (!baseline.problem.empty()) throw std::runtime_error("the baseline failed: " + baseline.problem);

  const std::string label = ctx.variant.empty() ? "" : fmt::format(" [{}]", ctx.variant);
  fmt::print("\nbaseline{}: {:.3f} s (median of {})\n", label, baseline.seconds, rounds);
  fmt::print("{:>8} {:>10} {:>9} {:>7} {:>11} {:>11}\n", "workers", "seconds", "speedup", "ideal", "efficiency",
             "cores busy");
  out = {{"variant", ctx.variant}, {"baseline_s", baseline.seconds}, {"points", nlohmann::json::array()}};
  for (const unsigned workers : ladder) {
    const Medians student = time_runs(ctx, "student", size, workers, rounds, warm.digest);
    if (!student.problem.empty()) {
      fmt::print("{:>8} {}\n", workers, student.problem);
      out["points"].push_back({{"workers", workers}, {"error", student.problem}});
      continue;
    }
    ScalePoint point{workers, student.seconds, baseline.seconds / student.seconds,
                     ideal_speedup(ex.timing, workers, machine.cores)};
    const std::string ideal = point.ideal > 0 ? fmt::format("{:.2f}x", point.ideal) : "-";
    const std::string efficiency = point.ideal > 0 ? fmt::format("{:.0f}%", 100 * point.speedup / point.ideal) : "-";
    fmt::print("{:>8} {:>9.3f}s {:>8.2f}x {:>7} {:>11} {:>11.2f}\n", workers, point.seconds, point.speedup, ideal,
               efficiency, student.cores_busy);
    std::fflush(stdout);
    out["points"].push_back({{"workers", workers},
                             {"seconds", point.seconds},
                             {"speedup", point.speedup},
                             {"ideal", point.ideal},
                             {"cores_busy", student.cores_busy}});
    series.points.push_back(point);
  }
  return series;
}

}  // namespace

int run_scale(const ScaleOptions& options) {
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const auto found = std::find_if(all.begin(), all.end(), [&](const Exercise& e) { return e.id == options.id; });
  if (found == all.end()) throw std::runtime_error(fmt::format("no exercise {} (grader list shows them)", options.id));
  const Exercise& ex = *found;
  const Machine machine = probe_machine();
  const unsigned max_workers = options.max_workers > 0 ? options.max_workers : 2 * machine.cores;
  const auto ladder = worker_ladder(machine.cores, max_workers);
  const std::size_t size = options.size > 0 ? options.size : ex.timing.size;

  const fs::path scratch = make_scratch_dir("parlab-scale");
  const TreeBuild tree = stage_tree(options.kit, options.tree, all);
  if (const auto problem = configure(options.kit, tree, false, scratch / "setup")) throw std::runtime_error(*problem);
  const PartResult build = build_exercise(tree, tree.build_dir, ex, scratch / "build");
  if (build.verdict != Verdict::pass) {
    throw std::runtime_error(
        fmt::format("{} {} does not build in {}: {}\n{}", ex.id, ex.title, options.tree, build.reason, build.excerpt));
  }
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
