// Grader: the quick loop of a learner: build one exercise, run its public tests, say which
// failed and why (`grader check ID`, `make check EX=ID`, and each save under `grader watch`).
//
// No hidden tests, no ThreadSanitizer, no timing: seconds, not minutes. A check of the kit's
// own exercises/ records its result in the learner's progress (progress.hpp).
#pragma once

#include <filesystem>
#include <string>

#include "manifest.hpp"
#include "report.hpp"
#include "tree_build.hpp"

namespace parlab::grader {

struct CheckOptions {
  Kit kit;
  std::string id;
  std::string tree = "exercises";
};

struct CheckResult {
  PartResult build, tests;
  std::filesystem::path exercise_dir;  // the exercise's folder in the tree, where its student files are
  bool passed() const { return build.verdict == Verdict::pass && tests.verdict == Verdict::pass; }
};

// Builds, tests and prints. Throws std::runtime_error for an unknown id or tree.
CheckResult check_exercise(const CheckOptions& options, bool colour);

}  // namespace parlab::grader
