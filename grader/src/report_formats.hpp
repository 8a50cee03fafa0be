// Grader: a run's results in the formats other tools read: Gradescope's results.json, JUnit XML
// (which GitHub, GitLab and Jenkins render), and a Markdown score table (a GitHub Actions run
// summary). The grader's own JSON is report.hpp's.
//
// Each part of each exercise is one test in all three, named "<id> <title>: <part>", with its
// points, its verdict and what a student can act on: the reason, the first failure or the
// stacks, the hint to read. The hidden tests' part is hidden from students on Gradescope until
// the grades are published.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report.hpp"

namespace parlab::grader {

// results.json as Gradescope documents it: score, execution_time, output, visibility,
// stdout_visibility, and tests of score, max_score, status, name, number, output, visibility.
nlohmann::json to_gradescope(const RunReport& report, double seconds);

// results.json for a run that could not grade at all (a damaged archive, a missing folder):
// no points, and why, for the student and the instructor.
nlohmann::json gradescope_failure(const std::string& why);

// <testsuites> of one <testsuite> per exercise, of one <testcase> per part: a failed part has a
// <failure>, one the grader could not run an <error>, a skipped one <skipped>.
std::string to_junit(const RunReport& report, double seconds);

// The total, then a row per exercise and its parts' points.
std::string to_markdown_summary(const RunReport& report);

}  // namespace parlab::grader
