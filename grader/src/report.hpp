// Grader: what a grading run found, and the ways it is told (terminal table, JSON).
//
// The JSON shape is the grader's public interface for tools; grader/README.md documents every
// field. Keep additions backwards compatible.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "machine.hpp"

namespace parlab::grader {

enum class Verdict { pass, fail, inconclusive, skipped, error };
std::string to_string(Verdict verdict);

struct PartResult {
  PartResult() = default;
  PartResult(Verdict v, std::string why) : verdict(v), reason(std::move(why)) {}

  Verdict verdict = Verdict::skipped;
  std::string reason;                                 // one sentence: why it failed, was skipped or could not run
  std::string excerpt;                                // quoted output that shows the problem (compiler errors, a race)
  nlohmann::json details = nlohmann::json::object();  // passed/total, measured/required, ...
  std::string summary;                                // the short text of the table's middle column
  std::string explanation;                            // lines printed under the part whatever its verdict
                                                      // (a timing's calibration, bar and evidence)
  int score = 0;
  int max_score = 0;

  static PartResult skipped(std::string why) { return {Verdict::skipped, std::move(why)}; }
  static PartResult error(std::string why) { return {Verdict::error, std::move(why)}; }
};

struct ExerciseResult {
  std::string id, title, kind;
  std::vector<std::pair<std::string, PartResult>> parts;  // in grading order
  int score() const;
  int max_score() const;
  const PartResult* part(const std::string& name) const;
};

// How far the run could fence the submissions in; each empty when fully, else why not.
struct Containment {
  std::string network_problem;      // else: a network namespace with loopback only
  std::string task_cap_problem;     // else: a cgroup pids cap per child
  bool task_cap_by_rlimit = false;  // with a problem: RLIMIT_NPROC caps instead
  std::string task_cap_user;        // then, for a root grader: the user the tests run as
};

struct RunReport {
  Machine machine;
  std::string tree;
  std::uint64_t seed = 0;
  std::vector<ExerciseResult> exercises;
  Containment containment;
  int score() const;
  int max_score() const;
};

nlohmann::json to_json(const RunReport& report);

// One block per exercise, as a points table; `colour` only on a terminal.
void print_exercise(std::FILE* out, const ExerciseResult& result, bool colour);
void print_total(std::FILE* out, const RunReport& report, bool colour);

// 0 all passed, 1 something failed, 2 the grader could not run a part (and nothing failed),
// 3 only timing was inconclusive.
int exit_code(const RunReport& report);

}  // namespace parlab::grader
