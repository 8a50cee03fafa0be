// Test helper: run the grader binary on a tree, as a child, and read back its JSON report.
// Shared by the end-to-end tests and the corpus of bad submissions.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "supervisor.hpp"

namespace parlab::grader::testing {

struct Graded {
  ChildResult run;
  nlohmann::json report;
  std::string output;  // what the grader printed, stdout then stderr
  const nlohmann::json& part(const char* name) const { return report["exercises"][0]["parts"][name]; }
};

// Where a test binary's grader runs keep their working folders and reports.
inline std::filesystem::path scratch_of_this_test() {
  return std::filesystem::temp_directory_path() / ("parlab-graded-" + std::to_string(::getpid()));
}

struct GradeRequest {
  std::string tree;                          // as for `grader run --tree`
  std::vector<std::string> ids = {"1.1"};    // empty: every exercise of the kit
  std::vector<std::string> extra;            // more arguments for `grader run`
  std::map<std::string, std::string> env;    // added to the grader's environment
  std::string name;                          // names the working folder; default: the tree's
};

inline Graded grade(const GradeRequest& request) {
  namespace fs = std::filesystem;
  const std::string name = request.name.empty() ? fs::path(request.tree).filename().string() : request.name;
  const fs::path report = scratch_of_this_test() / (name + ".json");
  fs::create_directories(scratch_of_this_test());
  ChildSpec spec;
  spec.program = PARLAB_GRADER;
  spec.args = {"run"};
  spec.args.insert(spec.args.end(), request.ids.begin(), request.ids.end());
  spec.args.insert(spec.args.end(), {"--tree", request.tree, "--seed", "11", "--json", report.string()});
  spec.args.insert(spec.args.end(), request.extra.begin(), request.extra.end());
  spec.work_dir = scratch_of_this_test() / name;
  spec.timeout = std::chrono::minutes(40);  // every solution, built twice, on 2 cores: about 18 min
  spec.memory_bytes = 0;
  spec.output_bytes = 0;
  spec.max_tasks = kTasksOfAGrader;
  spec.env = request.env;
  // A grade of exercises/ records the learner's progress: keep it out of the kit's own state.
  spec.env.emplace("PARLAB_STATE_DIR", scratch_of_this_test().string());
  Graded graded{run_child(spec), {}, {}};
  graded.output = graded.run.stdout_text() + graded.run.stderr_text();
  std::ifstream json(report);
  if (json) graded.report = nlohmann::json::parse(json, nullptr, false);
  return graded;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Processes whose environment holds `marker`: what is left of a grading run that carried it.
inline std::vector<std::string> processes_marked(const std::string& marker) {
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (read_text(entry.path() / "environ").find(marker) == std::string::npos) continue;
    std::string command = read_text(entry.path() / "cmdline");
    std::ranges::replace(command, '\0', ' ');
    left.push_back(pid + " " + command);
  }
  return left;
}

// The main() of a test binary that grades trees: the grader's supervision first (children
// that outlive a run are ours to reap), then the tests, then the working folders go.
inline int run_graded_tests(int argc, char** argv) {
  install_supervision();
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  std::error_code ignored;
  std::filesystem::remove_all(scratch_of_this_test(), ignored);
  return failed;
}

}  // namespace parlab::grader::testing
