// Grader: cutting the student kit out of the instructor's (`grader release OUT`, make release).
//
// The release holds what a student needs and nothing an instructor keeps: the top-level
// files, lectures/, exercises/ and the grader's sources; not solutions/, not grader/hidden/
// (the hidden tests), not grader/tests/ (the grader's own tests and the corpus of bad
// submissions), not the kit's CI. It adds .github/workflows/grade.yml (grader/release/), which
// grades every push, and a line in README.md saying what is left out. OUT becomes a git
// repository of one commit, ready to push as a GitHub Classroom template.
#pragma once

#include <filesystem>

#include "tree_build.hpp"

namespace parlab::grader {

struct ReleaseOptions {
  Kit kit;
  std::filesystem::path out;  // must not exist yet, or be an empty folder; not in what is copied
  // The kit an autograder grades with (make gradescope): the hidden tests stay in, and it is a
  // plain folder, without the students' workflow, note or git repository. Never for students.
  bool for_autograder = false;
};

// Cuts the release and prints what it holds. Returns the exit code (0, or 2 with the reason
// printed when OUT is not usable or a copy fails).
int cut_release(const ReleaseOptions& options);

}  // namespace parlab::grader
