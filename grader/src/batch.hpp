// Grader: a whole class at once (`grader batch DIR`).
//
// Every entry of DIR is one student's submission: a folder shaped like exercises/, a clone of
// the kit, or an archive from `make submit`; the entry's name (without .tar.gz) names the
// student. Each is graded by the grader itself, as a child: first the correctness parts of every
// student, several side by side (--jobs, each in its own staged build), then the timing of each
// student whose answers were right, one at a time with nothing else running. A student's
// report is written once both passes are done, atomically; the gradebook (CSV: a row per
// student, a column per graded part, the total) is rewritten after each. A batch that is
// interrupted and started again regrades only the students without a report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tree_build.hpp"

namespace parlab::grader {

struct BatchOptions {
  Kit kit;
  std::filesystem::path dir;     // the submissions
  std::filesystem::path out;     // reports/, gradebook.csv, work/; default <build>/batch/<DIR's name>
  std::vector<std::string> ids;  // empty: every exercise
  unsigned jobs = 1;             // students whose correctness is graded side by side
  bool timing = true;
  bool sanitize = true;
  std::optional<std::uint64_t> seed;   // the same for every student; default: fresh, printed
  std::optional<int> timeout_seconds;  // per test and bench run, as `grader run --timeout`
};

// Grades the batch and prints a line per student. Returns 0 when every student got a report
// (whatever their scores), 1 when the grader could not grade one of them, 2 when the batch
// could not start.
int run_batch(const BatchOptions& options);

}  // namespace parlab::grader
