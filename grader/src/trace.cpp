// Grader: `grader trace` (see trace.hpp). The flow: pick the exercise, build it in its tree as a
// grading run does, start the fixture server when the exercise talks to it, run the bench once
// while a ProcSampler watches, then write the SVG and the JSON and print what they show.
#include "trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "bench_checks.hpp"
#include "fixture_server.hpp"
#include "machine.hpp"
#include "manifest.hpp"
#include "proc_sampler.hpp"
#include "supervisor.hpp"
#include "timing.hpp"
#include "trace_svg.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// Often enough to see a 25 ms request come and go; a few /proc reads each, so the watched
// process hardly notices (the sampler runs on the grader's side, on its own thread).
constexpr std::chrono::microseconds kInterval{2'000};

// Milliseconds to the microsecond: finer is noise, and a long run has thousands of samples.
double ms(double value) { return std::round(value * 1e3) / 1e3; }

// The samples as JSON: the rows once, then each sample's readings by row index.
nlohmann::json samples_json(const std::vector<Sample>& samples, const std::vector<TraceRow>& rows) {
  nlohmann::json out_rows = nlohmann::json::array();
  for (const TraceRow& row : rows) {
    out_rows.push_back({{"label", row.label},
                        {"comm", row.comm},
                        {"pid", row.pid},
                        {"tid", row.tid},
                        {"process", row.process},
                        {"first_ms", ms(row.first_ms)},
                        {"last_ms", ms(row.last_ms)}});
  }
  const auto row_of = [&rows](const TaskReading& task) {
    const auto found = std::find_if(rows.begin(), rows.end(), [&](const TraceRow& r) {
      return r.process == task.process && r.pid == task.pid && r.tid == task.tid;
    });
    return found - rows.begin();
  };
  nlohmann::json out_samples = nlohmann::json::array();
  for (const Sample& sample : samples) {
    nlohmann::json tasks = nlohmann::json::array();
    for (const TaskReading& task : sample.tasks) {
      tasks.push_back(
          {{"row", row_of(task)}, {"state", std::string(1, task.state)}, {"cpu_ms", ms(task.cpu_seconds * 1e3)}});
    }
    nlohmann::json one = {{"t_ms", ms(sample.t_ms)}, {"tasks", std::move(tasks)}};
    if (sample.in_flight) one["in_flight"] = *sample.in_flight;
    if (sample.requests) one["requests"] = *sample.requests;
    out_samples.push_back(std::move(one));
  }
  return {{"rows", std::move(out_rows)}, {"samples", std::move(out_samples)}};
}

}  // namespace

int run_trace(const TraceOptions& options) {
  // 1. The exercise, and what it is run with: the speedup part's size and workers.
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const Exercise& ex = find_exercise(all, options.id);
  const Machine machine = probe_machine();
  const unsigned workers = options.workers.value_or(required_speedup(ex.timing, machine.cores).workers);
  const std::string variant = ex.timing.variants.empty() ? "" : ex.timing.variants.front();
  const std::size_t size = options.size.value_or(ex.timing.of_variant(variant).size);

  // 2. The tree, built as a grading run builds it.
  const fs::path scratch = make_scratch_dir("parlab-trace");
  const TreeBuild tree = build_one_exercise(options.kit, options.tree, all, ex, scratch);

  // 3. The fixture, when the exercise talks to it: its counters are read at every sample.
  std::unique_ptr<fixture::Server> server;
  if (ex.needs_fixture()) server = std::make_unique<fixture::Server>(fixture::Options{.seed = options.seed});
  BenchContext ctx = bench_context(tree.build_dir, ex, options.seed, server.get());
  ctx.scratch = scratch / "run";
  ctx.variant = variant;
  SamplerOptions sampling{kInterval, {}, {}};
  if (server) {
    sampling.in_flight = [s = server.get()] { return s->stats()["total"].in_flight; };
    sampling.requests = [s = server.get()] { return s->stats()["total"].requests; };
  }
  ProcSampler sampler(std::move(sampling));
  ctx.on_started = [&sampler](int pid) { sampler.start(pid); };

  fmt::print("grader trace {} {} ({}): {} {}s, {} workers{}, seed {}\n", ex.id, ex.title, options.tree, size,
             ex.timing.unit, workers,
             variant.empty() ? "" : fmt::format(", variant {} (the first of {})", variant, ex.timing.variants.size()),
             options.seed);
  std::fflush(stdout);

  // 4. One run, watched.
  if (ctx.reset_fixture_stats) ctx.reset_fixture_stats();
  const BenchRun run = run_bench(ctx, "student", size, options.seed, workers, "trace");
  const std::vector<Sample> samples = sampler.finish();
  std::optional<std::uint64_t> peak_in_flight;
  if (ctx.fixture_peak_in_flight) peak_in_flight = ctx.fixture_peak_in_flight();

  // 5. The picture, the samples, and what they say.
  const auto rows = trace_rows(samples);
  const TraceFigures figures = trace_figures(samples);
  std::string reading = trace_reading(figures, peak_in_flight);
  if (!run.problem.empty()) {  // what the picture shows is then the run up to its end
    const std::string first_line = run.problem.substr(0, run.problem.find('\n'));
    reading = fmt::format("the run failed ({}); until then, {}", first_line, reading);
  }
  const TraceInfo info{ex.id, ex.title, options.tree, variant, size, ex.timing.unit, workers, peak_in_flight, reading};

  const fs::path out_dir = options.out_dir.empty() ? options.kit.build_root / "trace" : options.out_dir;
  fs::create_directories(out_dir);
  const fs::path svg_path = out_dir / fmt::format("trace-{}.svg", ex.id);
  const fs::path json_path = out_dir / fmt::format("trace-{}.json", ex.id);
  std::ofstream(svg_path, std::ios::trunc) << trace_svg(info, samples);

  nlohmann::json doc = {{"id", ex.id},
                        {"title", ex.title},
                        {"kind", ex.kind},
                        {"tree", options.tree},
                        {"variant", variant},
                        {"size", size},
                        {"workers", workers},
                        {"seed", options.seed},
                        {"interval_ms", std::chrono::duration<double, std::milli>(kInterval).count()},
                        {"machine", to_json(machine)},
                        {"svg", svg_path.string()}};
  doc["bench"] = {{"seconds", run.seconds}, {"cpu_seconds", run.cpu_seconds}, {"problem", run.problem}};
  doc["summary"] = {{"wall_ms", figures.wall_ms},
                    {"cpu_seconds", figures.cpu_seconds},
                    {"cores_busy", figures.cores_busy},
                    {"cores_busy_together", figures.cores_busy_together},
                    {"ready_together", figures.ready_together},
                    {"threads_seen", figures.threads_seen},
                    {"processes_seen", figures.processes_seen},
                    {"peak_alive", figures.peak_alive},
                    {"peak_others", figures.peak_others},
                    {"peak_running", figures.peak_running},
                    {"reading", reading}};
  if (peak_in_flight) {
    doc["summary"]["peak_in_flight"] = *peak_in_flight;
    doc["summary"]["peak_in_flight_sampled"] = figures.peak_in_flight.value_or(0);
  }
  doc.update(samples_json(samples, rows));
  std::ofstream(json_path, std::ios::trunc) << doc.dump() << '\n';  // compact: a hang samples for 30 s

  fmt::print("timeline written to {}\nsamples written to {}\n", svg_path.string(), json_path.string());
  const auto count_of = [](std::uint64_t n, const std::string& noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : noun.ends_with('s') ? "es" : "s");
  };
  std::string figures_line =
      fmt::format("wall {:.0f} ms ({}), {}{} seen, at most {} alive and {} running at once, {:.2f} cores busy",
                  figures.wall_ms, count_of(samples.size(), "sample"), count_of(figures.threads_seen, "thread"),
                  figures.processes_seen > 0 ? " and " + count_of(figures.processes_seen, "process") : "",
                  figures.peak_alive, figures.peak_running, figures.cores_busy);
  if (peak_in_flight) figures_line += fmt::format(", peak {} in flight", count_of(*peak_in_flight, "request"));
  fmt::print("{}\nreading: {}.\n", figures_line, reading);
  if (run.problem.empty()) {
    fmt::print("(the timed call itself took {:.3f} s; before it the bench made its input, after it a digest)\n",
               run.seconds);
  } else {
    fmt::print("the run failed, so the picture shows a run that did not finish well:\n{}\n", run.problem);
  }

  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return run.problem.empty() ? 0 : 1;
}

}  // namespace parlab::grader
