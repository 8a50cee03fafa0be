// Grader: one grading run, from a tree and a list of ids to a report and an exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tree_build.hpp"

namespace parlab::grader {

struct RunOptions {
  Kit kit;
  std::vector<std::string> ids;  // empty: every exercise
  std::string tree = "exercises";
  std::optional<std::uint64_t> seed;  // empty: a fresh one, printed so a run can be repeated
  std::string json_path;              // write the JSON report here, if set
  std::string gradescope_path;        // Gradescope's results.json, if set (report_formats.hpp)
  std::string junit_path;             // JUnit XML, if set
  bool timing = true;
  bool sanitize = true;
  bool noise = true;  // the hidden tests again under schedule noise, when they passed
  bool keep_scratch = false;
  std::optional<int> timeout_seconds;  // overrides every manifest's per-test timeout
  // For `grader batch`, which grades correctness side by side and timing alone: the staged
  // build to use (tree_build.hpp), and a run of the build and the speedup part only.
  unsigned stage_slot = 0;
  bool timing_only = false;
};

// Grades and prints as it goes. Returns the exit code: 0 all passed, 1 something failed,
// 2 the grader could not run, 3 only timing was inconclusive.
int run_grading(const RunOptions& options);

}  // namespace parlab::grader
