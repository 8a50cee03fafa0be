// Grader: one exercise's build and public tests (see check.hpp).
#include "check.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "progress.hpp"
#include "supervisor.hpp"
#include "test_runner.hpp"

namespace parlab::grader {
namespace fs = std::filesystem;

namespace {

// Enough of a failure message to act on; the rest is one `make check` away in the test's output.
std::string first_lines(const std::string& text, std::size_t lines) {
  std::size_t end = 0;
  for (std::size_t i = 0; i < lines && end != std::string::npos; ++i) {
    end = text.find('\n', end == 0 ? 0 : end + 1);
  }
  return end == std::string::npos ? text : text.substr(0, end) + "\n...";
}

std::string indent_lines(std::string text, const std::string& prefix) {
  for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1 + prefix.size())) {
    text.insert(at + 1, prefix);
  }
  return text;
}

void print_check(const Exercise& ex, const CheckResult& check, const TestRunResult& run, bool colour) {
  auto paint = [colour](const std::string& text, fmt::terminal_color c) {
    return colour ? fmt::format(fmt::fg(c) | fmt::emphasis::bold, "{}", text) : text;
  };
  if (check.build.verdict != Verdict::pass) {
    fmt::print("{} {}: {}\n", ex.id, ex.title, paint("the build failed", fmt::terminal_color::red));
    if (!check.build.reason.empty()) fmt::print("  {}\n", check.build.reason);
    if (!check.build.excerpt.empty()) fmt::print("{}\n", check.build.excerpt);
    return;
  }
  for (const TestOutcome& test : run.tests) {
    fmt::print("  {} {}\n",
               test.passed ? paint("ok  ", fmt::terminal_color::green) : paint("FAIL", fmt::terminal_color::red),
               test.name);
    if (!test.passed) fmt::print("       {}\n", indent_lines(first_lines(test.message, 12), "       "));
  }
  if (!run.ran) fmt::print("  the tests could not run: {}\n", run.problem);
  const bool green = check.tests.verdict == Verdict::pass;
  fmt::print("{} {}: {}\n", ex.id, ex.title,
             paint(check.tests.summary.empty() ? check.tests.reason : check.tests.summary + (green ? " pass" : ""),
                   green ? fmt::terminal_color::green : fmt::terminal_color::red));
}

}  // namespace

CheckResult check_exercise(const CheckOptions& options, bool colour) {
  const auto all = load_all_manifests(options.kit.source_root / "exercises");
  const Exercise& ex = find_exercise(all, options.id);
  const fs::path scratch = make_scratch_dir("parlab-check");
  CheckResult check;
  TestRunResult run;
  {
    const TreeBuild tree = stage_tree(options.kit, options.tree, all);  // holds the tree's lock until done
    check.exercise_dir = tree.source / ex.dir;
    if (const auto problem = configure(options.kit, tree, false, scratch / "setup")) {
      check.build = PartResult::error(*problem);
    } else {
      check.build = build_exercise(tree, tree.build_dir, ex, scratch / "build");
    }
    if (check.build.verdict == Verdict::pass) {
      TestRunSpec spec;
      spec.binary = tree.build_dir / "exercises" / ("test_" + ex.title);
      spec.scratch = scratch / "tests";
      spec.per_test_timeout = ex.timeout;
      spec.memory_bytes = ex.memory_mb << 20;
      run = run_tests(spec);
      check.tests = score_tests(run, ex.points.tests);
    } else {
      check.tests = PartResult::skipped("the exercise does not build");
    }
    print_check(ex, check, run, colour);

    if (tree.compiled == tree.source) {  // the learner's own exercises/: remember how it went
      record_progress(options.kit.build_root, ex, check.exercise_dir, record_of_check(check.build, check.tests));
    }
  }
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return check;
}

}  // namespace parlab::grader
