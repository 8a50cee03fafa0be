// Test: the grader binary end to end, on the solutions and on a corpus of broken submissions
// (grader/tests/corpus/<case>/, each a tree holding only the student files of exercise 1.1).
//
// Slow by nature (each tree is configured and compiled, some under ThreadSanitizer), so it is
// its own meson suite, `e2e`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "supervisor.hpp"

namespace fs = std::filesystem;
using parlab::grader::ChildResult;
using parlab::grader::ChildSpec;
using parlab::grader::run_child;

namespace {

struct Graded {
  ChildResult run;
  nlohmann::json report;
  std::string output;
  const nlohmann::json& part(const char* name) const { return report["exercises"][0]["parts"][name]; }
};

fs::path scratch() { return fs::temp_directory_path() / ("parlab-e2e-" + std::to_string(::getpid())); }

// Grades exercise 1.1 of `tree`, or with `all_exercises` every exercise of the kit.
Graded grade(const std::string& tree, std::vector<std::string> extra, bool all_exercises = false) {
  fs::create_directories(scratch());
  const std::string name = fs::path(tree).filename().string();
  ChildSpec spec;
  spec.program = PARLAB_GRADER;
  spec.args = {"run"};
  if (!all_exercises) spec.args.push_back("1.1");
  spec.args.insert(spec.args.end(),
                   {"--tree", tree, "--seed", "11", "--json", (scratch() / (name + ".json")).string()});
  spec.args.insert(spec.args.end(), extra.begin(), extra.end());
  spec.work_dir = scratch() / name;
  spec.timeout = std::chrono::minutes(40);  // every solution, built twice, on 2 cores: about 18 min
  spec.memory_bytes = 0;
  spec.output_bytes = 0;
  spec.env["PARLAB_STATE_DIR"] = scratch().string();  // a grade of exercises/ records progress: not the kit's
  Graded graded{run_child(spec), {}, {}};
  graded.output = graded.run.stdout_text() + graded.run.stderr_text();
  std::ifstream json(scratch() / (name + ".json"));
  if (json) graded.report = nlohmann::json::parse(json, nullptr, false);
  return graded;
}

std::string corpus(const std::string& name) { return std::string(PARLAB_CORPUS) + "/" + name; }

// Any process still running a binary whose path contains `path_part` (a build of a graded tree).
int processes_running_from(const std::string& path_part) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::error_code ec;
    const fs::path exe = fs::read_symlink(entry.path() / "exe", ec);
    if (!ec && exe.string().find(path_part) != std::string::npos) ++count;
  }
  return count;
}

}  // namespace

// Every reference solution passes every part but the timing (which `make bench` measures).
TEST(GraderEndToEnd, SolutionsPassEveryPart) {
  const Graded g = grade("solutions", {"--no-timing"}, true);
  ASSERT_EQ(g.run.exit_code, 0) << g.output;
  ASSERT_GE(g.report["exercises"].size(), 8u) << g.output;
  for (const auto& ex : g.report["exercises"]) {
    for (const char* part : {"build", "tests", "hidden", "races", "differential"}) {
      const auto& graded = ex["parts"][part];
      const bool ungraded_races = std::string(part) == "races" && graded["max_score"] == 0;  // 4.3: see its README
      if (ungraded_races && graded["verdict"] == "skipped") continue;
      EXPECT_EQ(graded["verdict"], "pass") << ex["id"] << " " << part << "\n" << g.output;
    }
    EXPECT_EQ(ex["parts"]["speedup"]["verdict"], "skipped");
    EXPECT_EQ(ex["score"], ex["max_score"]) << ex["id"];
  }
}

// The one timed grade in the suite: 1.1's starter fetches one page at a time, so its timing
// fails on any machine, however noisy (one request in flight is not a matter of noise), and
// the report must say why with the calibration, the bar and the evidence.
TEST(GraderEndToEnd, ASequentialStartersTimingFailsAndTheReportSaysWhy) {
  const Graded g = grade("exercises", {"--no-sanitize"});
  ASSERT_EQ(g.run.exit_code, 1) << g.output;
  const auto& speedup = g.part("speedup");
  EXPECT_EQ(speedup["verdict"], "fail") << g.output;
  EXPECT_EQ(speedup["peak_in_flight"], 1) << g.output;
  EXPECT_NE(speedup.value("reason", "").find("1 request in flight at a time"), std::string::npos) << g.output;
  for (const char* line : {"calibration: ", "bar: 40 requests, 8 workers", "evidence: ", "peak 1 in flight"}) {
    EXPECT_NE(g.output.find(line), std::string::npos) << line << "\n" << g.output;
  }
  EXPECT_GT(speedup["calibration"]["cpu_speedup"].get<double>(), 0.0);
  EXPECT_GT(speedup["calibration"]["round_trip_ms"].get<double>(), 0.0);
  EXPECT_GT(speedup["floor_seconds"].get<double>(), 0.0);
  EXPECT_EQ(speedup["machine"]["build"]["sanitize"], "none") << "the fingerprint names the build it timed";
  EXPECT_TRUE(speedup["machine"].contains("cpu") && speedup["machine"].contains("load"));
}

TEST(GraderEndToEnd, ACompileErrorIsTheExercisesVerdict) {
  const Graded g = grade(corpus("compile_error"), {"--no-timing", "--no-sanitize"});
  EXPECT_EQ(g.run.exit_code, 1) << g.output;
  EXPECT_EQ(g.part("build")["verdict"], "fail");
  EXPECT_NE(g.part("build")["excerpt"].get<std::string>().find("error"), std::string::npos);
  EXPECT_EQ(g.part("tests")["verdict"], "skipped");
  EXPECT_EQ(g.report["exercises"][0]["score"], 0);
}

TEST(GraderEndToEnd, AMissingStudentFileIsABuildFailure) {
  const Graded g = grade(corpus("missing_file"), {"--no-timing", "--no-sanitize"});
  EXPECT_EQ(g.run.exit_code, 1) << g.output;
  EXPECT_EQ(g.part("build")["verdict"], "fail");
  EXPECT_NE(g.part("build")["reason"].get<std::string>().find("download_sites.cpp"), std::string::npos);
}

TEST(GraderEndToEnd, AnInjectedDataRaceFailsTheRacesPart) {
  const Graded g = grade(corpus("data_race"), {"--no-timing"});
  EXPECT_EQ(g.run.exit_code, 1) << g.output;
  EXPECT_EQ(g.part("build")["verdict"], "pass");
  EXPECT_EQ(g.part("races")["verdict"], "fail") << g.output;
  EXPECT_NE(g.part("races")["excerpt"].get<std::string>().find("ThreadSanitizer"), std::string::npos);
  EXPECT_EQ(g.part("races")["score"], 0);
}

TEST(GraderEndToEnd, ADeadlockIsKilledAtItsTimeoutLeavingNothingBehind) {
  const auto start = std::chrono::steady_clock::now();
  const Graded g = grade(corpus("deadlock"), {"--no-timing", "--no-sanitize", "--timeout", "2"});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(g.run.exit_code, 1) << g.output;
  EXPECT_EQ(g.part("tests")["verdict"], "fail");
  EXPECT_LT(g.part("tests")["passed"], g.part("tests")["total"]) << "the tests with URLs should hang";
  const std::string first = g.part("tests")["failed"][0]["message"];
  EXPECT_NE(first.find("timed out"), std::string::npos) << first;
  EXPECT_NE(first.find("deadlock"), std::string::npos) << first;
  if (!parlab::grader::find_program("gdb").empty()) {  // where each thread hung, in the student's file
    EXPECT_NE(first.find("where the threads were:"), std::string::npos) << first;
    EXPECT_NE(first.find("waits for a mutex, in "), std::string::npos) << first;
    EXPECT_NE(first.find(" at download_sites.cpp:"), std::string::npos) << first;
  }
  EXPECT_LT(took.count(), 600) << "the grader should give up on each hung test after 2 s";
  EXPECT_EQ(processes_running_from("/trees/staged/"), 0) << "a hung test binary outlived the grader";
}

TEST(GraderEndToEnd, CtrlCStopsEveryChildAndExits130) {
  // `timeout -s INT` plays the student pressing Ctrl-C while a hung test is running.
  ChildSpec spec;
  spec.program = "/usr/bin/timeout";
  spec.args = {"--preserve-status", "-s",          "INT",           "20",        PARLAB_GRADER, "run", "1.1", "--tree",
               corpus("deadlock"),  "--no-timing", "--no-sanitize", "--timeout", "600"};
  spec.work_dir = scratch() / "interrupt";
  spec.timeout = std::chrono::minutes(10);
  spec.memory_bytes = 0;
  const ChildResult run = run_child(spec);
  EXPECT_EQ(run.exit_code, 130) << run.describe() << "\n" << run.stderr_text();
  EXPECT_NE(run.stderr_text().find("interrupted"), std::string::npos);
  EXPECT_LT(run.wall.count(), 300) << "the grader should stop at once, not wait for the hung test";
  EXPECT_EQ(processes_running_from("/trees/staged/"), 0) << "a test binary outlived the interrupted grader";
}

int main(int argc, char** argv) {
  parlab::grader::install_supervision();
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  std::error_code ignored;
  fs::remove_all(scratch(), ignored);
  return failed;
}
