// Grader: turning a tree of student files into built exercises.
//
// The kit's own exercises/ builds in build/ (where the grader itself lives). Any other tree,
// solutions/ or a student's submission, is first staged: only the student files that its
// manifests list are copied into build/trees/staged/src, so a submission can change nothing
// but its student files, and the grader never writes inside the tree it grades. Every staged
// tree shares that one build (a run holds its lock), so the given code compiles once for a
// whole class, and the next tree recompiles only the student files that changed. The build has
// a ThreadSanitizer twin beside its normal one.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "report.hpp"
#include "supervisor.hpp"

namespace parlab::grader {

struct Kit {
  std::filesystem::path source_root;  // the folder with the top-level meson.build
  std::filesystem::path build_root;   // the kit's own build dir (build/)
};

// Runs a trusted tool found on PATH (meson, ninja, git, tar) in `work_dir`, supervised like any
// child but without a memory or output cap; a missing tool comes back as spawn_failed, saying
// `make deps`.
ChildResult run_tool(const std::string& tool, std::vector<std::string> args, const std::filesystem::path& work_dir,
                     std::chrono::seconds timeout);

// Holds an exclusive lock on a tree's build dirs for as long as it lives: two grader runs on
// the same tree (a test suite and a student, say) take turns instead of corrupting the build.
class TreeLock {
 public:
  explicit TreeLock(const std::filesystem::path& build_dir);  // waits, saying so, when taken
  ~TreeLock();
  TreeLock(const TreeLock&) = delete;
  TreeLock& operator=(const TreeLock&) = delete;

 private:
  int fd_ = -1;
};

struct TreeBuild {
  std::string name;                                         // as given: "exercises", "solutions" or a path
  std::filesystem::path source;                             // the tree as given, absolute
  std::filesystem::path compiled;                           // what meson's `tree` option points at
  std::filesystem::path build_dir;                          // the normal build
  std::filesystem::path tsan_dir;                           // the ThreadSanitizer twin
  std::map<std::string, std::vector<std::string>> missing;  // exercise id -> absent student files
  std::vector<std::string> present;                         // every student file found, as <exercise dir>/<file>
  std::shared_ptr<TreeLock> lock;                           // held from staging to the end of the run
  // Empty when the submission's code runs as an unprivileged user (a root grader without a
  // pids cgroup: unprivileged_user.hpp); otherwise why it does not.
  std::string unprivileged_problem;
};

// Resolves the tree name, takes the tree's lock, stages the student files of `exercises` when
// it is not the kit's own exercises/ (pass every exercise: the build is configured once for
// whatever is present, whichever ids a run grades), and records which student files are
// missing; decides whether its tests run as an unprivileged user. Throws std::runtime_error
// when the tree does not exist.
// `slot` picks one of several staged builds (build/trees/staged-<slot>; 0 is build/trees/staged), so
// that a batch's graders can stage trees side by side.
TreeBuild stage_tree(const Kit& kit, const std::string& tree, const std::vector<Exercise>& exercises,
                     unsigned slot = 0);

// Sets up (or refreshes) one build dir of the tree. Returns the problem, or nothing when ready.
std::optional<std::string> configure(const Kit& kit, const TreeBuild& tree, bool sanitized,
                                     const std::filesystem::path& scratch);

// Compiles the targets of every exercise in `exercises` that has all its student files, in one
// ninja run that keeps every core busy across exercises (one exercise's own targets leave cores
// idle at each link). Returns the wall time. A failure is left to build_exercise, which reports
// it for its own exercise (the rest are built: `ninja -k 0`).
std::chrono::duration<double> build_all(const TreeBuild& tree, const std::filesystem::path& build_dir,
                                        const std::vector<Exercise>& exercises, const std::filesystem::path& scratch);

// Compiles one exercise's targets; a compile error is this part's verdict, with the errors.
PartResult build_exercise(const TreeBuild& tree, const std::filesystem::path& build_dir, const Exercise& exercise,
                          const std::filesystem::path& scratch);

// For the tools that run one exercise's bench outside a grading run (scale, trace): stages
// `tree`, configures its normal build and compiles `exercise`. The result holds the tree's lock.
// Throws std::runtime_error, with the compiler's errors, when it does not build.
TreeBuild build_one_exercise(const Kit& kit, const std::string& tree, const std::vector<Exercise>& all,
                             const Exercise& exercise, const std::filesystem::path& scratch);

// The first compiler errors in a build log, for an excerpt.
std::string compiler_errors(const std::string& log, std::size_t max_lines = 25);

}  // namespace parlab::grader
