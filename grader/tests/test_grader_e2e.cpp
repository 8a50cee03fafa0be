// Test: the grader binary end to end: every solution passes, and Ctrl-C stops a run cleanly.
// The corpus of bad submissions has its own test (test_submissions.cpp).
//
// Slow by nature (each tree is configured and compiled, some under ThreadSanitizer), so it is
// its own meson suite, `e2e`.
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "grade_tree.hpp"
#include "task_cap.hpp"

namespace fs = std::filesystem;
using parlab::grader::ChildResult;
using parlab::grader::ChildSpec;
using parlab::grader::run_child;
using parlab::grader::testing::grade;
using parlab::grader::testing::Graded;
using parlab::grader::testing::processes_marked;
using parlab::grader::testing::scratch_of_this_test;

namespace {

std::string submission(const std::string& name) { return std::string(PARLAB_SUBMISSIONS) + "/" + name; }

}  // namespace

// Every reference solution passes every part but the timing (which `make bench` measures).
// On a mismatch the whole report comes first and the parts that missed last, with their reasons:
// CI keeps only the tail of a failed test's output.
TEST(GraderEndToEnd, SolutionsPassEveryPart) {
  const Graded g = grade({.tree = "solutions", .ids = {}, .extra = {"--no-timing"}, .env = {}, .name = ""});
  ASSERT_GE(g.report["exercises"].size(), 8u) << g.run.describe() << "\n" << g.output;
  std::string missed;
  for (const auto& ex : g.report["exercises"]) {
    for (const char* part : {"build", "tests", "hidden", "races", "differential", "speedup"}) {
      const auto& graded = ex["parts"][part];
      const bool ungraded_races = std::string(part) == "races" && graded["max_score"] == 0;  // 4.3: see its README
      const char* expected = std::string(part) == "speedup" || ungraded_races ? "skipped" : "pass";
      if (graded["verdict"] == expected) continue;
      missed += fmt::format("{} {}: {} ({}), expected {}\n  {}\n{}\n", ex["id"].get<std::string>(), part,
                            graded.value("verdict", "?"), graded.value("summary", ""), expected,
                            graded.value("reason", ""), graded.value("excerpt", ""));
    }
    if (ex["score"] != ex["max_score"]) {
      missed +=
          fmt::format("{}: {} of {} points\n", ex["id"].get<std::string>(), ex["score"].dump(), ex["max_score"].dump());
    }
  }
  // The machine and the fence the tests ran in, beside what missed: a miss seen only on a CI host
  // can then be told from one that comes from how that host confines the tests.
  if (!missed.empty()) {
    missed += fmt::format("machine: {}\ncontainment: {}\n", g.report["machine"].dump(), g.report["containment"].dump());
  }
  EXPECT_EQ(missed, "") << g.output << "\n--- what missed ---\n" << missed;
  // Less than full marks is exit 1, so this comes after the parts that say why.
  EXPECT_EQ(g.run.exit_code, 0) << g.run.describe() << "\n" << (missed.empty() ? g.output : missed);
}

TEST(GraderEndToEnd, CtrlCStopsEveryChildAndExits130) {
  // `timeout -s INT` plays the student pressing Ctrl-C while a hung test is running.
  ChildSpec spec;
  spec.program = "/usr/bin/timeout";
  spec.args = {
      "--preserve-status",    "-s",          "INT",           "20",        PARLAB_GRADER, "run", "1.1", "--tree",
      submission("deadlock"), "--no-timing", "--no-sanitize", "--timeout", "600"};
  spec.work_dir = scratch_of_this_test() / "interrupt";
  const std::string marker = "PARLAB_E2E_RUN=interrupt-" + std::to_string(::getpid());
  spec.env["PARLAB_E2E_RUN"] = marker.substr(marker.find('=') + 1);  // on every process the run starts
  spec.timeout = std::chrono::minutes(10);
  spec.memory_bytes = 0;
  spec.max_tasks = 0;  // so the grader makes its children's caps beside ours, where we can look
  const auto left_before = parlab::grader::task_caps_of_dead_graders();  // by runs killed earlier
  const ChildResult run = run_child(spec);
  EXPECT_EQ(run.exit_code, 130) << run.describe() << "\n" << run.stderr_text();
  EXPECT_NE(run.stderr_text().find("interrupted"), std::string::npos);
  EXPECT_LT(run.wall.count(), 300) << "the grader should stop at once, not wait for the hung test";
  EXPECT_EQ(processes_marked(marker), std::vector<std::string>{}) << "processes outlived the interrupted grader";
  auto left_after = parlab::grader::task_caps_of_dead_graders();
  std::erase_if(left_after, [&](const fs::path& dir) { return std::ranges::count(left_before, dir) > 0; });
  EXPECT_EQ(left_after, std::vector<fs::path>{}) << "the interrupted grader left its cgroups";
}

int main(int argc, char** argv) { return parlab::grader::testing::run_graded_tests(argc, argv); }
