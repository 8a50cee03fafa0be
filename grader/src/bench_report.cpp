// Grader: the benchmark report (see bench_report.hpp).
#include "bench_report.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <fstream>
#include <memory>
#include <sstream>

#include "bench_checks.hpp"
#include "fixture_server.hpp"
#include "machine.hpp"
#include "manifest.hpp"
#include "supervisor.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// bench_fixture prints a human line and a JSON line; keep the JSON.
nlohmann::json fixture_figures(const Kit& kit, const fs::path& scratch) {
  ChildSpec spec;
  spec.program = kit.build_root / "grader" / "fixture" / "bench_fixture";
  spec.work_dir = scratch / "fixture";
  spec.timeout = std::chrono::seconds(60);
  const ChildResult run = run_child(spec);
  if (!run.ok()) return {{"error", run.describe()}};
  std::istringstream lines(run.stdout_text());
  nlohmann::json figures = {{"error", "no JSON line"}};
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '{') figures = nlohmann::json::parse(line, nullptr, false);
  }
  return figures;
}

// One exercise's (or one variant's) figures, under the names a tracking tool reads beside the
// grader's own.
nlohmann::json bench_row(const Exercise& ex, const std::string& variant, const nlohmann::json& details, Verdict verdict,
                         const std::string& reason) {
  nlohmann::json row = details;
  row["id"] = ex.id;
  row["title"] = ex.title;
  row["variant"] = variant;
  row["kind"] = ex.kind;
  row["size"] = ex.timing.size;
  row["verdict"] = to_string(verdict);
  if (!details.contains("measured")) {
    row["reason"] = reason;
    return row;
  }
  const double speedup = details["measured"];
  const double ideal = details["ideal"];
  row["baseline_s"] = details["baseline_seconds"];
  row["solution_s"] = details["student_seconds"];
  row["speedup"] = speedup;
  row["efficiency"] = ideal > 0 ? speedup / ideal : 0.0;
  row["unit"] = ex.timing.unit;
  if (ex.timing.size > 0) {
    const double per_item = 1e6 / static_cast<double>(ex.timing.size);
    row["baseline_per_item_us"] = row["baseline_s"].get<double>() * per_item;
    row["solution_per_item_us"] = row["solution_s"].get<double>() * per_item;
  }
  return row;
}

std::string row_name(const nlohmann::json& row) {
  const std::string variant = row.value("variant", "");
  return fmt::format("{} {}{}", row.value("id", ""), row.value("title", ""), variant.empty() ? "" : "/" + variant);
}

// The line printed as each exercise finishes, before the summary table.
void print_line(const Exercise& ex, const std::string& variant, const std::string& tree, const nlohmann::json& row,
                const std::string& summary) {
  const std::string name = fmt::format("{} {}{}", ex.id, ex.title, variant.empty() ? "" : "/" + variant);
  if (!row.contains("speedup")) {
    fmt::print("[{}] {}: {}\n", name, row.value("verdict", ""), row.value("reason", ""));
    return;
  }
  const std::string verdict = summary.empty() ? fmt::format("{:.2f}x (need {:.2f}x): {}", row.value("speedup", 0.0),
                                                            row.value("required", 0.0), row.value("verdict", ""))
                                              : summary;
  fmt::print("[{}] {} items, {} workers: baseline {:.3f} s, {} {:.3f} s: {}\n", name, ex.timing.size,
             row.value("workers", 0u), row.value("baseline_s", 0.0), tree, row.value("solution_s", 0.0), verdict);
}

// One line per exercise: what a course page or a tracking sheet wants.
void print_summary(const nlohmann::json& rows, const Machine& machine) {
  fmt::print("\n{:<34} {:<4} {:>6} {:>7} {:>9} {:>9} {:>8} {:>6} {:>10} {:>10}\n", "exercise", "kind", "size",
             "workers", "baseline", "solution", "speedup", "ideal", "efficiency", "cores busy");
  for (const auto& row : rows) {
    const std::string name = row_name(row);
    if (!row.contains("speedup")) {
      fmt::print("{:<34} {}\n", name, row.value("reason", row.value("error", "not timed")));
      continue;
    }
    // A fixed bar has no ideal (the gain is not parallelism): show a dash, not a 0.
    const double ideal = row.value("ideal", 0.0);
    const std::string ideal_text = ideal > 0 ? fmt::format("{:.2f}x", ideal) : "-";
    const std::string efficiency_text = ideal > 0 ? fmt::format("{:.0f}%", 100 * row.value("efficiency", 0.0)) : "-";
    fmt::print("{:<34} {:<4} {:>6} {:>7} {:>8.3f}s {:>8.3f}s {:>7.2f}x {:>6} {:>10} {:>10.2f}\n", name,
               row.value("kind", ""), row.value("size", 0), row.value("workers", 0), row.value("baseline_s", 0.0),
               row.value("solution_s", 0.0), row.value("speedup", 0.0), ideal_text, efficiency_text,
               row.value("cores_busy", 0.0));
  }
  // Where the figure that matters is the time per item (2.1: one handoff round trip).
  for (const auto& row : rows) {
    if (row.value("kind", "") != "sync" || !row.contains("baseline_per_item_us")) continue;
    fmt::print("{}: {:.1f} us per {} with the baseline, {:.1f} us with the solution\n", row_name(row),
               row.value("baseline_per_item_us", 0.0), row.value("unit", "item"),
               row.value("solution_per_item_us", 0.0));
  }
  // Where memory against data is the point (5.2: bodies streamed to disk).
  for (const auto& row : rows) {
    if (!row.contains("moved_mb")) continue;
    fmt::print("{}: peak memory {:.1f} MB while moving {:.1f} MB\n", row_name(row), row.value("peak_rss_mb", 0.0),
               row.value("moved_mb", 0.0));
  }
  fmt::print(
      "({} usable cores; ideal: min(cores, workers) for cpu, size / ceil(size / workers) for io, none for a fixed "
      "bar)\n",
      machine.cores);
}

}  // namespace

int run_bench_report(const BenchOptions& options) {
  const Machine machine = probe_machine();
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  auto exercises = all;
  if (!options.ids.empty()) {
    std::erase_if(exercises, [&](const Exercise& e) {
      return std::find(options.ids.begin(), options.ids.end(), e.id) == options.ids.end();
    });
  }
  const fs::path scratch = make_scratch_dir("parlab-bench");

  fmt::print("parlab bench: {} usable cores ({}), {} online, {}; load {:.2f}\n\n", machine.cores, machine.cores_reason,
             machine.online_cores, machine.cpu, machine.load);

  nlohmann::json fixture = fixture_figures(options.kit, scratch);
  if (fixture.contains("seconds")) {
    fmt::print("[fixture] {} concurrent requests delayed {} ms: {:.3f} s (peak in flight {})\n\n",
               fixture.value("requests", 0), fixture.value("delay_ms", 0), fixture.value("seconds", 0.0),
               fixture.value("peak_in_flight", 0));
  } else {
    fmt::print("[fixture] could not run: {}\n\n", fixture.dump());
  }

  const TreeBuild tree = stage_tree(options.kit, options.tree, all);
  if (const auto problem = configure(options.kit, tree, false, scratch / "setup")) throw std::runtime_error(*problem);
  std::unique_ptr<fixture::Server> server;

  nlohmann::json rows = nlohmann::json::array();
  for (const auto& ex : exercises) {
    const fs::path ex_scratch = scratch / ex.target_alias();
    const PartResult build = build_exercise(tree, tree.build_dir, ex, ex_scratch / "build");
    if (build.verdict != Verdict::pass) {
      fmt::print("[{} {}] does not build in {}: {}\n", ex.id, ex.title, options.tree, build.reason);
      rows.push_back({{"id", ex.id}, {"title", ex.title}, {"error", "does not build"}});
      continue;
    }
    if (ex.needs_fixture() && !server)
      server = std::make_unique<fixture::Server>(fixture::Options{.seed = options.seed});
    BenchContext ctx = bench_context(tree.build_dir, ex, options.seed, server.get());
    ctx.scratch = ex_scratch / "bench";
    const PartResult timing = measure_speedup(ctx, ex, machine);
    if (!timing.details.contains("variants")) {
      rows.push_back(bench_row(ex, "", timing.details, timing.verdict, timing.reason));
      print_line(ex, "", options.tree, rows.back(), timing.summary);
      continue;
    }
    for (const std::string& variant : ex.timing.variants) {  // the manifest's order, not JSON's
      const nlohmann::json& details = timing.details["variants"][variant];
      const std::string verdict = details.value("verdict", "error");
      rows.push_back(bench_row(ex, variant, details, verdict == "pass" ? Verdict::pass : Verdict::fail, ""));
      print_line(ex, variant, options.tree, rows.back(), "");
    }
  }

  print_summary(rows, machine);
  if (!options.json_path.empty()) {
    const nlohmann::json doc = {{"machine", to_json(machine)},
                                {"tree", options.tree},
                                {"seed", options.seed},
                                {"fixture", fixture},
                                {"exercises", rows}};
    std::ofstream(options.json_path, std::ios::trunc) << doc.dump(2) << '\n';
    fmt::print("\nfigures written to {}\n", options.json_path);
  }
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return 0;
}

}  // namespace parlab::grader
