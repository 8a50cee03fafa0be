// Grader: a learner's progress through the course, kept between runs (`grader progress`).
//
// Each `grader check` and each `grader run` of the kit's own exercises/ tree records, per
// exercise, the state its last result shows and a digest of the student files it saw, so
// progress can say "edited since" when the code changed after that result. Hints shown
// (`grader hint`) are counted in the same file. The file lives in the build dir, never in the
// tree: <build>/parlab-state.json, or $PARLAB_STATE_DIR/parlab-state.json when that is set.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "report.hpp"

namespace parlab::grader {

// From worst to best; "not started" is the absence of any record.
enum class Stage { build_fails, tests_failing, tests_pass, races, slow, done };
std::string to_string(Stage stage);

struct ExerciseRecord {
  Stage stage = Stage::tests_failing;
  int score = 0, max_score = 0;  // of the last full grade; 0/0 after a check only
  std::string source;            // "check" or "grade"
  std::string at;                // UTC time, ISO 8601
  std::string files_digest;      // SHA-1 over the student files as they were
  std::string note;              // one line: what to fix next ("2/9 tests failed", "1.02x, need 1.50x")
};

struct LearnerState {
  std::map<std::string, ExerciseRecord> exercises;  // by exercise id
  std::map<std::string, int> hints_shown;           // by exercise id
};

std::filesystem::path state_file(const std::filesystem::path& build_root);

// A missing or unreadable file is a fresh start (said on stderr when unreadable), never an error.
LearnerState load_state(const std::filesystem::path& file);
// Atomic: written beside the file, then renamed over it, so an interrupted run loses nothing.
void save_state(const LearnerState& state, const std::filesystem::path& file);

// SHA-1 over the names and contents of the exercise's student files in `exercise_dir`.
std::string student_files_digest(const Exercise& exercise, const std::filesystem::path& exercise_dir);

// What a full grade says about an exercise, and a public-test check.
ExerciseRecord record_of_grade(const ExerciseResult& result);
ExerciseRecord record_of_check(const PartResult& build, const PartResult& tests);

// Stores `record`, unless it is a passing check of exactly the files a grade already judged
// (the grade knows more).
void remember(LearnerState& state, const std::string& id, ExerciseRecord record);

// The whole step after a check or a grade of the learner's own tree: stamps `record` with the
// digest of the student files in `exercise_dir`, remembers it, and saves the state file.
void record_progress(const std::filesystem::path& build_root, const Exercise& exercise,
                     const std::filesystem::path& exercise_dir, ExerciseRecord record);

// Every lecture and exercise with its state and points, the totals, and the next exercise to do.
void print_progress(std::FILE* out, const std::vector<Exercise>& exercises, const LearnerState& state,
                    const std::filesystem::path& exercises_root, bool colour);

}  // namespace parlab::grader
