// Grader: the command line (the one translation unit that includes CLI11).
//
//   grader list                       the exercises this kit holds
//   grader run [IDS] [--tree T] ...   grade a tree (see grade_run.cpp for the flow)
//   grader bench [IDS] [--tree T]     timings of a tree against the baselines (make bench)
//   grader scale ID [--tree T]        speedup against workers: a table, JSON and an SVG chart
//   grader trace ID [--tree T]        one run watched from /proc: a timeline SVG of its threads
//   grader fixture [--port P]         start the fixture server by hand, until Ctrl-C
//   grader check ID [--tree T]        build one exercise, run its public tests (make check)
//   grader watch ID [--tree T]        the same on every save of its student file (make watch)
//   grader hint ID [--all|--reset]    the exercise's next hint, gentle first (make hint)
//   grader progress                   every exercise's state and the next to do (make progress)
//   grader batch DIR [--jobs N]       every submission in DIR into a gradebook (instructors)
//   grader submit [--out F]           the student files, packed to hand in (make submit)
//   grader release OUT                the student kit, as a git repository (make release)
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <csignal>

#include "batch.hpp"
#include "bench_report.hpp"
#include "check.hpp"
#include "fixture_server.hpp"
#include "grade_run.hpp"
#include "hints.hpp"
#include "manifest.hpp"
#include "private_network.hpp"
#include "progress.hpp"
#include "release.hpp"
#include "report_formats.hpp"
#include "scale.hpp"
#include "submission.hpp"
#include "supervisor.hpp"
#include "trace.hpp"
#include "watch.hpp"
#include "whole_file.hpp"

namespace {

using namespace parlab::grader;

int list_exercises(const Kit& kit) {
  for (const auto& ex : load_all_manifests(kit.source_root / "exercises")) {
    fmt::print("{:<5} {:<22} {:<5} {:>2} points  exercises/{}\n", ex.id, ex.title, ex.kind, ex.points.total(),
               ex.dir.string());
  }
  return 0;
}

int show_progress(const Kit& kit) {
  const auto file = state_file(kit.build_root);
  fmt::print("Progress through parlab (kept in {})\n", file.string());
  print_progress(stdout, load_all_manifests(kit.source_root / "exercises"), load_state(file),
                 kit.source_root / "exercises", ::isatty(STDOUT_FILENO) != 0);
  return 0;
}

int serve_fixture(std::uint64_t seed, unsigned short port, int latency_ms, int jitter_ms) {
  parlab::fixture::Server server(parlab::fixture::Options{.seed = seed,
                                                          .port = port,
                                                          .latency = std::chrono::milliseconds(latency_ms),
                                                          .jitter = std::chrono::milliseconds(jitter_ms)});
  fmt::print("fixture server on {} (seed {}); Ctrl-C stops it\n", server.url(), seed);
  fmt::print("try: curl {}/page/1   curl {}/stats\n", server.url(), server.url());
  std::fflush(stdout);
  ::pause();  // the supervision thread ends the process on Ctrl-C
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"parlab grader: builds, tests, sanitizes and times exercises"};
  app.require_subcommand(1);
  // Subcommands made after this pass options they do not know up to here, so the global
  // --kit and --build-root work after the subcommand too (`grader run 2.1 --build-root D`).
  app.fallthrough();
  Kit kit{PARLAB_SOURCE_ROOT, PARLAB_BUILD_ROOT};
  app.add_option("--kit", kit.source_root, "the parlab kit (folder with the top-level meson.build)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--build-root", kit.build_root, "the kit's build dir (where build/ is)");

  auto* list = app.add_subcommand("list", "list the exercises");

  RunOptions run;
  std::uint64_t seed = 0;
  auto* run_cmd = app.add_subcommand("run", "grade exercises of a tree");
  run_cmd->add_option("ids", run.ids, "exercise ids such as 1.1 (default: all)");
  run_cmd
      ->add_option("--tree", run.tree,
                   "exercises, solutions, a folder shaped like exercises/, a clone of the kit, or an archive "
                   "from make submit")
      ->default_val("exercises");
  run_cmd->add_option("--json", run.json_path, "write the JSON report to this file");
  run_cmd->add_option("--gradescope", run.gradescope_path, "write Gradescope's results.json to this file");
  run_cmd->add_option("--junit", run.junit_path, "write a JUnit XML report to this file");
  auto* seed_opt = run_cmd->add_option("--seed", seed, "seed for inputs (default: fresh, printed)");
  run_cmd->add_flag("!--no-timing", run.timing, "skip the speedup part");
  run_cmd->add_flag("!--no-sanitize", run.sanitize, "skip the ThreadSanitizer part");
  run_cmd->add_flag("!--no-noise", run.noise, "skip the hidden tests' second run, under schedule noise");
  int timeout = 0;
  auto* timeout_opt =
      run_cmd->add_option("--timeout", timeout, "seconds per test and per bench run (default: each manifest's)")
          ->check(CLI::PositiveNumber);
  run_cmd->add_flag("--keep-scratch", run.keep_scratch, "keep the children's working folders");
  // For `grader batch`'s own runs: hidden from --help.
  run_cmd->add_option("--stage-slot", run.stage_slot, "which staged build to use")->group("");
  run_cmd->add_flag("--timing-only", run.timing_only, "build and time only")->group("");

  BenchOptions bench;
  auto* bench_cmd = app.add_subcommand("bench", "time a tree against the baselines, and the fixture server");
  bench_cmd->add_option("ids", bench.ids, "exercise ids (default: all)");
  bench_cmd->add_option("--tree", bench.tree, "whose code to time")->default_val("solutions");
  bench_cmd->add_option("--json", bench.json_path, "also write the figures to this file");
  bench_cmd->add_option("--seed", bench.seed, "seed for inputs")->default_val(1);
  bench_cmd
      ->add_option("--stability", bench.stability_runs,
                   "also time solutions and starters N times each, counting verdicts that agree (0: skip)")
      ->default_val(0);

  ScaleOptions scale;
  auto* scale_cmd = app.add_subcommand("scale", "speedup against workers (1, 2, 4 ... twice the cores), drawn");
  scale_cmd->add_option("id", scale.id, "one exercise id, such as 4.2")->required();
  scale_cmd->add_option("--tree", scale.tree, "whose code to time")->default_val("exercises");
  scale_cmd->add_option("--size", scale.size, "workload size (default: the manifest's timed size)");
  scale_cmd->add_option("--max-workers", scale.max_workers, "the last rung (default: twice the usable cores)");
  scale_cmd
      ->add_option("--rounds", scale.rounds, "paired rounds (baseline, then yours) per point; the median ratio counts")
      ->default_val(3)
      ->check(CLI::Range(1u, 50u));
  scale_cmd->add_option("--seed", scale.seed, "seed for inputs")->default_val(1);
  scale_cmd->add_option("--out", scale.out_dir, "folder for scale-<id>.json and .svg (default: <build>/scale)");

  TraceOptions trace;
  std::size_t trace_size = 0;
  unsigned trace_workers = 0;
  auto* trace_cmd = app.add_subcommand("trace", "one run of your code watched from outside: a timeline of its threads");
  trace_cmd->add_option("id", trace.id, "one exercise id, such as 1.1")->required();
  trace_cmd->add_option("--tree", trace.tree, "whose code to run")->default_val("exercises");
  auto* trace_size_opt =
      trace_cmd->add_option("--size", trace_size, "workload size (default: the manifest's timed size)");
  auto* trace_workers_opt = trace_cmd->add_option("--workers", trace_workers, "workers (default: as the speedup part)")
                                ->check(CLI::Range(1u, 4096u));
  trace_cmd->add_option("--seed", trace.seed, "seed for inputs")->default_val(1);
  trace_cmd->add_option("--out", trace.out_dir, "folder for trace-<id>.svg and .json (default: <build>/trace)");

  std::uint64_t fixture_seed = 1;
  unsigned short fixture_port = 8080;
  int latency = 0, jitter = 0;
  auto* fixture = app.add_subcommand("fixture", "start the fixture server by hand");
  fixture->add_option("--seed", fixture_seed, "content seed")->default_val(1);
  fixture->add_option("--port", fixture_port, "port on 127.0.0.1 (0: any free port)")->default_val(8080);
  fixture->add_option("--latency", latency, "milliseconds added to every request")->default_val(0);
  fixture->add_option("--jitter", jitter, "up to this many more milliseconds, at random")->default_val(0);

  CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", "build one exercise and run its public tests, quickly");
  check_cmd->add_option("id", check.id, "exercise id, such as 1.1")->required();
  check_cmd->add_option("--tree", check.tree, "whose code")->default_val("exercises");

  WatchOptions watch;
  auto* watch_cmd = app.add_subcommand("watch", "rerun an exercise's public tests on every save of its student file");
  watch_cmd->add_option("id", watch.id, "exercise id, such as 1.1")->required();
  watch_cmd->add_option("--tree", watch.tree, "whose code")->default_val("exercises");

  HintOptions hint;
  auto* hint_cmd = app.add_subcommand("hint", "the exercise's next hint, from a nudge to the specific trick");
  hint_cmd->add_option("id", hint.id, "exercise id, such as 1.1")->required();
  auto* hint_all = hint_cmd->add_flag("--all", hint.all, "show again the hints seen so far");
  hint_cmd->add_flag("--reset", hint.reset, "forget how many hints were seen")->excludes(hint_all);

  auto* progress_cmd = app.add_subcommand("progress", "every lecture and exercise: state, points, the next to do");

  BatchOptions batch;
  std::uint64_t batch_seed = 0;
  int batch_timeout = 0;
  auto* batch_cmd = app.add_subcommand("batch", "grade every submission in a folder into a gradebook");
  batch_cmd->add_option("dir", batch.dir, "one submission per entry: a folder, a clone of the kit, or an archive")
      ->required()
      ->check(CLI::ExistingDirectory);
  batch_cmd->add_option("ids", batch.ids, "exercise ids (default: all)");
  batch_cmd->add_option("--out", batch.out, "reports/, gradebook.csv and work/ (default: <build>/batch/<dir>)");
  batch_cmd->add_option("--jobs", batch.jobs, "students whose correctness is graded side by side; timing never is")
      ->default_val(1)
      ->check(CLI::Range(1u, 64u));
  auto* batch_seed_opt = batch_cmd->add_option("--seed", batch_seed, "seed for inputs, the same for every student");
  auto* batch_timeout_opt = batch_cmd->add_option("--timeout", batch_timeout, "seconds per test and per bench run")
                                ->check(CLI::PositiveNumber);
  batch_cmd->add_flag("!--no-timing", batch.timing, "skip the speedup parts");
  batch_cmd->add_flag("!--no-sanitize", batch.sanitize, "skip the ThreadSanitizer parts");

  SubmitOptions submit;
  std::string submit_tree = "exercises";
  auto* submit_cmd = app.add_subcommand("submit", "pack your student files into one archive to hand in (make submit)");
  submit_cmd->add_option("--tree", submit_tree, "the folder to pack")->default_val("exercises");
  submit_cmd->add_option("--out", submit.out, "the archive to write (default: <build>/submission.tar.gz)");

  ReleaseOptions release;
  auto* release_cmd =
      app.add_subcommand("release", "cut the student kit: no solutions, no hidden tests (make release)");
  release_cmd->add_option("out", release.out, "a new folder outside the kit; it becomes a git repository")->required();
  release_cmd->add_flag("--autograder", release.for_autograder,
                        "the kit an autograder grades with: hidden tests kept, no git (make gradescope)");

  CLI11_PARSE(app, argc, argv);
  // Before any thread: the commands that run submissions give them a network of their own (the
  // fixture server by hand stays on the machine's, for the student's curl).
  const bool runs_submissions = !list->parsed() && !fixture->parsed() && !hint_cmd->parsed() &&
                                !progress_cmd->parsed() && !release_cmd->parsed() && !submit_cmd->parsed();
  if (runs_submissions) enter_private_network();
  install_supervision();
  try {
    kit.source_root = std::filesystem::canonical(kit.source_root);
    kit.build_root = std::filesystem::absolute(kit.build_root);
    if (list->parsed()) return list_exercises(kit);
    if (bench_cmd->parsed()) {
      bench.kit = kit;
      return run_bench_report(bench);
    }
    if (scale_cmd->parsed()) {
      scale.kit = kit;
      return run_scale(scale);
    }
    if (trace_cmd->parsed()) {
      trace.kit = kit;
      if (*trace_size_opt) trace.size = trace_size;
      if (*trace_workers_opt) trace.workers = trace_workers;
      return run_trace(trace);
    }
    if (fixture->parsed()) return serve_fixture(fixture_seed, fixture_port, latency, jitter);
    if (check_cmd->parsed()) {
      check.kit = kit;
      return check_exercise(check, ::isatty(STDOUT_FILENO) != 0).passed() ? 0 : 1;
    }
    if (watch_cmd->parsed()) {
      watch.kit = kit;
      return run_watch(watch);
    }
    if (hint_cmd->parsed()) {
      hint.kit = kit;
      return show_hints(hint);
    }
    if (progress_cmd->parsed()) return show_progress(kit);
    if (batch_cmd->parsed()) {
      batch.kit = kit;
      if (*batch_seed_opt) batch.seed = batch_seed;
      if (*batch_timeout_opt) batch.timeout_seconds = batch_timeout;
      return run_batch(batch);
    }
    if (submit_cmd->parsed()) {
      submit.kit = kit.source_root;
      submit.tree = submit_tree == "exercises" ? kit.source_root / "exercises" : std::filesystem::path(submit_tree);
      if (submit.out.empty()) submit.out = kit.build_root / "submission.tar.gz";
      return make_submission(submit);
    }
    if (release_cmd->parsed()) {
      release.kit = kit;
      return cut_release(release);
    }
    if (*seed_opt) run.seed = seed;
    if (*timeout_opt) run.timeout_seconds = timeout;
    run.kit = kit;
    return run_grading(run);
  } catch (const std::exception& e) {
    fmt::print(stderr, "grader: {}\n", e.what());
    // Gradescope shows the student only results.json: say there why no grade came.
    if (run_cmd->parsed() && !run.gradescope_path.empty()) {
      try {
        write_atomically(run.gradescope_path, gradescope_failure(e.what()).dump(2) + "\n");
      } catch (const std::exception&) {
      }
    }
    return 2;
  }
}
