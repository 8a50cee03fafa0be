// Grader: the flow of one grading run, top to bottom. Start reading here.
//
//   1. read the manifests, pick the exercises, probe the machine
//   2. stage the tree's student files, configure its build and its ThreadSanitizer twin
//   3. start the fixture server if any exercise talks to the network
//   4. per exercise, each part in supervised children, in this order:
//        build -> tests -> hidden (then again under schedule noise) -> races -> differential -> speedup
//      a part that cannot mean anything after an earlier failure is skipped, with the reason;
//      a failed part names the hint that fits it; grading the learner's own exercises/ tree
//      records each exercise's state for `grader progress`
//   5. print the table, write the JSON report, return the exit code
#include "grade_run.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <stdexcept>

#include "bench_checks.hpp"
#include "fixture_server.hpp"
#include "hints.hpp"
#include "machine.hpp"
#include "manifest.hpp"
#include "private_network.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "report_formats.hpp"
#include "supervisor.hpp"
#include "task_cap.hpp"
#include "test_runner.hpp"
#include "timing.hpp"
#include "unprivileged_user.hpp"
#include "whole_file.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

std::vector<Exercise> select(const std::vector<Exercise>& all, const std::vector<std::string>& ids) {
  if (ids.empty()) return all;
  std::vector<Exercise> picked;
  for (const auto& id : ids) picked.push_back(find_exercise(all, id));
  return picked;
}

PartResult blocked(int points, const std::string& why) {
  PartResult part = PartResult::skipped(why);
  part.max_score = points;  // counted against the total: the earlier failure cost these points
  return part;
}

struct Context {
  const RunOptions& options;
  const Machine& machine;
  const TreeBuild& tree;
  fs::path scratch;
  std::uint64_t seed;
  std::map<std::string, std::string> env;
  fixture::Server* fixture;                 // null when no exercise needs it
  std::optional<std::string> tsan_problem;  // set when the TSan build dir could not be set up
};

// The speedup part: the bench binary timed against the baseline; its points when it passes.
PartResult speedup_part(const Context& ctx, const Exercise& ex, BenchContext bench, const fs::path& scratch) {
  bench.scratch = scratch / "speedup";
  PartResult speedup = measure_speedup(bench, ex, ctx.machine);
  if (speedup.verdict != Verdict::skipped) speedup.max_score = ex.points.speedup;
  if (speedup.verdict == Verdict::pass) speedup.score = ex.points.speedup;
  return speedup;
}

ExerciseResult grade_exercise(Context& ctx, const Exercise& ex) {
  ExerciseResult result{ex.id, ex.title, ex.kind, {}};
  const fs::path scratch = ctx.scratch / ex.target_alias();
  const fs::path bin_dir = ctx.tree.build_dir / "exercises";
  const Points& pts = ex.points;
  const std::uint64_t memory = ex.memory_mb << 20;
  const std::chrono::milliseconds timeout =
      ctx.options.timeout_seconds ? std::chrono::seconds(*ctx.options.timeout_seconds) : ex.timeout;

  // 1. Build. A compile error is this exercise's verdict, and every later part is moot.
  PartResult build = build_exercise(ctx.tree, ctx.tree.build_dir, ex, scratch / "build");
  const bool built = build.verdict == Verdict::pass;
  result.parts.emplace_back("build", std::move(build));
  if (!built) {
    for (const auto& [name, points] : {std::pair{"tests", pts.tests},
                                       {"hidden", pts.hidden},
                                       {"races", pts.races},
                                       {"differential", 0},
                                       {"speedup", pts.speedup}}) {
      result.parts.emplace_back(name, blocked(points, "the exercise does not build"));
    }
    return result;
  }

  // A batch's timing pass: the correctness parts ran in its first pass, side by side with other
  // students; only the timing needs the machine to itself.
  if (ctx.options.timing_only) {
    for (const char* name : {"tests", "hidden", "races", "differential"}) {
      result.parts.emplace_back(name, PartResult::skipped("graded in the batch's correctness pass"));
    }
    BenchContext bench = bench_context(ctx.tree.build_dir, ex, ctx.seed, ctx.fixture);
    bench.timeout = timeout;
    result.parts.emplace_back("speedup", speedup_part(ctx, ex, std::move(bench), scratch));
    return result;
  }

  // 2. Public and hidden tests, each test able to fail alone.
  TestRunSpec spec;
  spec.env = ctx.env;
  spec.per_test_timeout = timeout;
  spec.memory_bytes = memory;
  spec.binary = bin_dir / ("test_" + ex.title);
  spec.scratch = scratch / "tests";
  const TestRunResult public_run = run_tests(spec);
  result.parts.emplace_back("tests", score_tests(public_run, pts.tests));
  // Tests that hang without ThreadSanitizer hang with it too, five times slower, and cannot
  // show it a race that completes: the races part waits for them to finish.
  const auto hung_in = [](const TestRunResult& run) {
    return std::count_if(run.tests.begin(), run.tests.end(), [](const TestOutcome& t) { return t.hung; });
  };
  long hung = hung_in(public_run);

  const fs::path hidden_binary = bin_dir / ("test_" + ex.title + "_hidden");
  const bool has_hidden = fs::exists(hidden_binary);
  if (has_hidden) {
    spec.binary = hidden_binary;
    spec.scratch = scratch / "hidden";
    TestRunResult hidden = run_tests(spec);
    hung += hung_in(hidden);
    // A second run under schedule noise (harness/schedule_noise.hpp), for code that passed a
    // quiet one: races that timing hides, and that ThreadSanitizer cannot see, fail it here.
    const bool all_passed = hidden.ran && hidden.passed() == static_cast<int>(hidden.tests.size());
    if (ctx.options.noise && all_passed) {
      TestRunSpec noisy = spec;
      noisy.env["PARLAB_SCHEDULE_NOISE"] = std::to_string(ctx.seed);
      noisy.scratch = scratch / "hidden-noise";
      hidden = with_noise_failures(std::move(hidden), run_tests(noisy), ctx.seed);
    }
    PartResult part = score_tests(hidden, pts.hidden);
    if (ctx.options.noise && all_passed && part.verdict == Verdict::pass) part.summary += ", again under noise";
    result.parts.emplace_back("hidden", std::move(part));
  } else {
    result.parts.emplace_back("hidden", PartResult::skipped("this kit has no hidden tests (grader/hidden is absent)"));
  }
  const bool tests_correct =
      result.part("tests")->verdict == Verdict::pass && result.part("hidden")->verdict != Verdict::fail;

  // 3. The same tests under ThreadSanitizer: only a race report fails this part.
  if (!ctx.options.sanitize) {
    result.parts.emplace_back("races", PartResult::skipped("--no-sanitize"));
  } else if (pts.races == 0) {  // e.g. 4.3: its code runs as single-threaded MPI ranks
    result.parts.emplace_back("races", PartResult::skipped("not graded for this exercise: its README says why"));
  } else if (hung > 0) {
    result.parts.emplace_back(
        "races", blocked(pts.races, fmt::format("{} test{} never finished: ThreadSanitizer needs them to end", hung,
                                                hung == 1 ? "" : "s")));
  } else if (ctx.tsan_problem) {
    result.parts.emplace_back("races", PartResult::error(*ctx.tsan_problem));
  } else {
    PartResult races = build_exercise(ctx.tree, ctx.tree.tsan_dir, ex, scratch / "tsan-build");
    races.max_score = pts.races;
    if (races.verdict == Verdict::pass) {
      std::string report;
      for (const std::string suffix : {"", "_hidden"}) {
        spec.binary = ctx.tree.tsan_dir / "exercises" / ("test_" + ex.title + suffix);
        spec.scratch = scratch / ("tsan" + suffix);
        spec.sanitized = true;
        if (fs::exists(spec.binary) && report.empty()) report = run_tests(spec).sanitizer_report;
      }
      races.details = nlohmann::json::object();
      if (report.empty()) {
        races.score = pts.races;
        races.summary = "ThreadSanitizer is clean";
      } else {
        races.verdict = Verdict::fail;
        races.summary = "ThreadSanitizer reported a race";
        races.reason = "two threads touch the same memory without synchronization (the report names both)";
        races.excerpt = report;
      }
    } else if (races.verdict == Verdict::fail) {
      races.verdict = Verdict::error;
      races.reason = "the ThreadSanitizer build failed although the normal build passed";
    }
    result.parts.emplace_back("races", std::move(races));
  }

  // 4 and 5. The bench binary: the same answer as the baseline, then faster than it.
  BenchContext bench = bench_context(ctx.tree.build_dir, ex, ctx.seed, ctx.fixture);
  bench.timeout = timeout;
  const Requirement bar = required_speedup(ex.timing, ctx.machine.cores);
  bench.scratch = scratch / "differential";
  result.parts.emplace_back("differential", check_differential(bench, ex, bar.workers));
  const bool correct = tests_correct && result.part("differential")->verdict == Verdict::pass;

  if (!ctx.options.timing) {
    result.parts.emplace_back("speedup", PartResult::skipped("--no-timing"));
  } else if (!correct) {
    PartResult part{Verdict::fail, "a wrong answer earns no speedup points: fix the failing tests first"};
    part.summary = "not timed";
    part.max_score = pts.speedup;
    result.parts.emplace_back("speedup", std::move(part));
  } else {
    result.parts.emplace_back("speedup", speedup_part(ctx, ex, std::move(bench), scratch));
  }
  return result;
}

}  // namespace

int run_grading(const RunOptions& options) {
  // 1. What to grade, and on what machine.
  const auto started = std::chrono::steady_clock::now();
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const auto exercises = select(all, options.ids);
  const Machine machine = probe_machine();
  const std::uint64_t seed = options.seed.value_or(std::random_device{}());
  const bool colour = ::isatty(::fileno(stdout)) != 0;

  // 2. The tree: staged, configured, its TSan twin too.
  // all: one build serves any selection
  const TreeBuild tree = stage_tree(options.kit, options.tree, all, options.stage_slot);
  const fs::path scratch = make_scratch_dir("parlab-grader");
  fmt::print(stderr, "grading {} exercise(s) of {} on {} cores (seed {})\n", exercises.size(), tree.source.string(),
             machine.cores, seed);
  // Without a pids cgroup, RLIMIT_NPROC caps the tasks: of the grader's own user, or as root of
  // the unprivileged user the tests then run as (see run_child).
  Containment containment;
  containment.network_problem = private_network_problem();
  containment.task_cap_problem = task_cap_unavailable_reason();
  const std::optional<RunAs> runner = unprivileged_runner();
  containment.task_cap_by_rlimit = !containment.task_cap_problem.empty() && (::getuid() != 0 || runner);
  if (runner) containment.task_cap_user = runner->name;
  if (containment.task_cap_by_rlimit && runner) {
    fmt::print(stderr, "note: {}; the tests run as {} under RLIMIT_NPROC instead\n", containment.task_cap_problem,
               runner->name);
  } else if (containment.task_cap_by_rlimit) {
    fmt::print(stderr, "note: {}; RLIMIT_NPROC caps a submission's processes instead (your other programs count too)\n",
               containment.task_cap_problem);
  } else if (!containment.task_cap_problem.empty()) {
    fmt::print(stderr, "note: no cap on a submission's processes here ({}; {}); grade code you do not trust in a VM\n",
               containment.task_cap_problem, tree.unprivileged_problem);
  }
  if (!fs::is_directory(options.kit.source_root / "grader" / "hidden")) {
    fmt::print(stderr,
               "note: this is a student kit: the hidden tests are not included, so each exercise's hidden "
               "part is skipped here; your instructor's grader runs them\n");
  }
  if (!containment.network_problem.empty()) {
    fmt::print(stderr, "note: submissions share this machine's network here ({}), not loopback alone\n",
               containment.network_problem);
  }
  if (const auto problem = configure(options.kit, tree, false, scratch / "setup")) throw std::runtime_error(*problem);
  std::optional<std::string> tsan_problem;
  if (options.sanitize) tsan_problem = configure(options.kit, tree, true, scratch / "setup");
  if (exercises.size() > 1) {  // one exercise gains nothing: its build part compiles it
    // The TSan twin only for the exercises whose races part runs (4.3's gives it no points).
    std::vector<Exercise> raced;
    if (options.sanitize && !tsan_problem) {
      std::copy_if(exercises.begin(), exercises.end(), std::back_inserter(raced),
                   [](const Exercise& e) { return e.points.races > 0; });
    }
    fmt::print(stderr, "compiling {} exercises{}...\n", exercises.size(),
               raced.empty() ? "" : ", then their ThreadSanitizer twins");
    auto took = build_all(tree, tree.build_dir, exercises, scratch / "build-all");
    if (!raced.empty()) took += build_all(tree, tree.tsan_dir, raced, scratch / "build-all-tsan");
    fmt::print(stderr, "compiled in {:.0f} s\n", took.count());
  }

  // 3. One fixture server for the whole run, so its counters see every request.
  std::unique_ptr<fixture::Server> server;
  std::map<std::string, std::string> env;
  if (std::any_of(exercises.begin(), exercises.end(), [](const Exercise& e) { return e.needs_fixture(); })) {
    server = std::make_unique<fixture::Server>(fixture::Options{.seed = seed});
    env["PARLAB_FIXTURE_URL"] = server->url();
  }

  // 4. Each exercise, printed as soon as it is graded.
  Context ctx{options, machine, tree, scratch, seed, env, server.get(), tsan_problem};
  RunReport report{machine, options.tree, seed, {}, containment};
  const bool learners_own_tree = tree.compiled == tree.source;  // the kit's exercises/: progress counts
  for (const auto& ex : exercises) {
    report.exercises.push_back(grade_exercise(ctx, ex));
    point_at_help(report.exercises.back(), ex);
    print_exercise(stdout, report.exercises.back(), colour);
    std::fflush(stdout);
    if (learners_own_tree)
      record_progress(options.kit.build_root, ex, tree.source / ex.dir, record_of_grade(report.exercises.back()));
  }

  // 5. The total, the JSON, the exit code.
  print_total(stdout, report, colour);
  if (learners_own_tree) fmt::print("`make progress` shows every exercise's state and the next one to do.\n");
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!options.json_path.empty()) write_atomically(options.json_path, to_json(report).dump(2) + "\n");
  if (!options.gradescope_path.empty()) {
    write_atomically(options.gradescope_path, to_gradescope(report, took).dump(2) + "\n");
  }
  if (!options.junit_path.empty()) write_atomically(options.junit_path, to_junit(report, took));
  // On GitHub Actions, the score table goes on the run's page (GitHub Classroom's way).
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary != nullptr && *summary != '\0') {
    std::ofstream(summary, std::ios::app) << to_markdown_summary(report);
  }
  if (!options.keep_scratch) {
    std::error_code ignored;
    fs::remove_all(scratch, ignored);
  } else {
    fmt::print(stderr, "scratch kept in {}\n", scratch.string());
  }
  return exit_code(report);
}

}  // namespace parlab::grader
